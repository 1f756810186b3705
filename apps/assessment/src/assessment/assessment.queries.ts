import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  assessmentStream,
  type Actor,
  type AsOfFields,
  type AsOfQuery,
  type AssessmentFile,
  type AssessmentList,
  type AssessmentSummary,
  type ListAssessmentsQuery,
} from '@atr/contracts';
import { asOfFields, CommandRunner, NotFound, READ_MODELS, ReadModels } from '@atr/platform';
import { assessmentDecider } from './assessment.decider';
import { mayReadAssessment } from './assessment.view';

export class GetAssessment extends Query<AssessmentFile & AsOfFields> {
  constructor(
    readonly actor: Actor,
    readonly assessmentId: string,
    /** The assessment as it was at this point of the log (absent: now). */
    readonly at?: AsOfQuery,
  ) {
    super();
  }
}

/** Folded from the assessment's stream: now, or as it was at a point of the log (checked on it now and then). */
@QueryHandler(GetAssessment)
export class GetAssessmentHandler implements IQueryHandler<GetAssessment, AssessmentFile & AsOfFields> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ actor, assessmentId, at }: GetAssessment): Promise<AssessmentFile & AsOfFields> {
    const read = await this.runner.loadForReader(assessmentStream(assessmentId), assessmentDecider, at, (state) => mayReadAssessment(state, actor));
    if (!read?.state) throw new NotFound('assessment', assessmentId);
    return { ...read.state, ...(read.past && at ? asOfFields(at, read.past) : {}) };
  }
}

export class ListAssessments extends Query<AssessmentList> {
  constructor(
    readonly actor: Actor,
    readonly filter: ListAssessmentsQuery,
  ) {
    super();
  }
}

interface Row {
  assessment_id: string;
  placement_id: string;
  kind: AssessmentSummary['kind'];
  status: AssessmentSummary['status'];
  requested_at: string;
  scheduled_for: string | null;
  completed_at: string | null;
}

/** The assessments addressed to the caller's agency. */
@QueryHandler(ListAssessments)
export class ListAssessmentsHandler implements IQueryHandler<ListAssessments, AssessmentList> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ actor, filter }: ListAssessments): Promise<AssessmentList> {
    const rows = this.readModels.db
      .prepare(
        `SELECT * FROM assessment_requests WHERE agency_id = @agency AND (@status IS NULL OR status = @status)
         ORDER BY requested_at DESC, assessment_id LIMIT @limit`,
      )
      .all({ agency: actor.agencyId, status: filter.status ?? null, limit: filter.limit }) as Row[];
    return {
      items: rows.map((r) => ({
        assessmentId: r.assessment_id,
        placementId: r.placement_id,
        kind: r.kind,
        status: r.status,
        requestedAt: r.requested_at,
        scheduledFor: r.scheduled_for,
        completedAt: r.completed_at,
      })),
    };
  }
}
