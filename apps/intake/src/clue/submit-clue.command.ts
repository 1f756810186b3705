import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { clueStream, deterministicId, IdempotencyKey, type Actor, type AnySubmission, type ClueSource, type SubmissionAccepted } from '@atr/contracts';
import { AGENCY_DIRECTORY, AgencyDirectory, CommandRunner, PLATFORM_CONFIG, ValidationFailed, type PlatformConfig } from '@atr/platform';
import { route } from '../routing/route';
import { deadlinesFrom, triage } from '../triage/triage';
import { clueDecider } from './clue.decider';
import type { ClueState } from './clue.state';
import { factsOf, requestHashOf } from './submission';

export interface SubmitClueResult {
  response: SubmissionAccepted;
  /** True when the same submission was made before under this key: nothing was appended. */
  replayed: boolean;
}

export class SubmitClue extends Command<SubmitClueResult> {
  constructor(
    readonly source: ClueSource,
    readonly body: AnySubmission,
    readonly actor: Actor,
    readonly idempotencyKeyHeader: string | undefined,
    readonly requestId: string,
  ) {
    super();
  }
}

@CommandHandler(SubmitClue)
export class SubmitClueHandler implements ICommandHandler<SubmitClue, SubmitClueResult> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async execute({ source, body, actor, idempotencyKeyHeader, requestId }: SubmitClue): Promise<SubmitClueResult> {
    const key = idempotencyKeyOf(idempotencyKeyHeader, body.sourceReference);
    const clueId = deterministicId('clue', actor.agencyId, key);
    const facts = factsOf(source, body);
    const routedTo = route(facts.location.divisionCode, (code) => this.directory.at('PUBLIC_SECURITY', code)[0]?.id);
    const command = {
      type: 'SubmitClue' as const,
      clueId,
      submittedBy: { agencyId: actor.agencyId, agencyKind: actor.agencyKind, jurisdiction: actor.jurisdiction },
      idempotencyKey: key,
      requestHash: requestHashOf(source, body),
      ...facts,
      triage: triage(facts, deadlinesFrom(this.config)),
      routedTo,
    };
    // A retry or a racing duplicate loses the 'no_stream' append, re-reads and gets the replay (or the 422).
    const result = await this.runner.run(clueStream(clueId), clueDecider, command, { actor, correlationId: clueId, requestId, expectNewStream: true });
    return { response: acceptedFrom(result.state), replayed: result.appended.length === 0 };
  }
}

function idempotencyKeyOf(header: string | undefined, sourceReference: string | undefined): string {
  if (header !== undefined) {
    const parsed = IdempotencyKey.safeParse(header);
    if (!parsed.success) throw new ValidationFailed('headers', [{ path: 'Idempotency-Key', code: 'invalid_format', message: parsed.error.issues[0].message }]);
    return parsed.data;
  }
  if (sourceReference !== undefined) return sourceReference;
  throw new ValidationFailed('headers', [
    { path: 'Idempotency-Key', code: 'required', message: 'send an Idempotency-Key header or a sourceReference in the body, so a retry cannot create a second clue' },
  ]);
}

/** The submission's answer, built from the stream alone: a replay returns exactly the same body. */
export function acceptedFrom(state: ClueState): SubmissionAccepted {
  const { submitted, triage } = state;
  if (!submitted || !triage) throw new Error('a submitted clue has ClueSubmitted and ClueTriaged');
  return {
    clueId: submitted.clueId,
    status: 'RECEIVED',
    category: triage.category,
    priority: triage.priority,
    acknowledgeBy: triage.acknowledgeBy,
    routedTo: triage.routedTo,
    statusUrl: `/clues/${submitted.clueId}/status`,
  };
}
