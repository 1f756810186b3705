import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { assessmentStream, type Actor, type AssessmentFile, type AssessmentList, type AssessmentSummary, type ListAssessmentsQuery } from '@atr/contracts';
import { CommandRunner, READ_MODELS, ReadModels } from '@atr/platform';
import { assessmentDecider } from './assessment.decider';
import { visibleAssessment } from './assessment.view';

export class GetAssessment extends Query<AssessmentFile> {
  constructor(
    readonly actor: Actor,
    readonly assessmentId: string,
  ) {
    super();
  }
}

@QueryHandler(GetAssessment)
export class GetAssessmentHandler implements IQueryHandler<GetAssessment, AssessmentFile> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ actor, assessmentId }: GetAssessment): Promise<AssessmentFile> {
    const { state } = await this.runner.load(assessmentStream(assessmentId), assessmentDecider);
    return visibleAssessment(state, actor, assessmentId);
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
