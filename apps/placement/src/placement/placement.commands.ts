import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  newId,
  placementStream,
  type Actor,
  type AssignShelterBody,
  type DomainEvent,
  type PlacementFile,
  type RecordFamilyFoundBody,
  type RecordFollowUpVisitBody,
  type ReferReintegrationBody,
  type ReintegrateBody,
  type RequestAssessmentBody,
  type ReunifyBody,
  type StartFamilySearchBody,
} from '@atr/contracts';
import { AGENCY_DIRECTORY, AgencyDirectory, CLOCK, CommandRunner, PLATFORM_CONFIG, partyOf, type Clock, type PlatformConfig } from '@atr/platform';
import { placementDecider, type PlacementCommand } from './placement.decider';
import { assessingAgency, policeFor, serviceProvider } from './placement.parties';
import type { PlacementState } from './placement.state';
import { toPlacementFile, visibleFile } from './placement.view';

/** What a social worker asks of a placement: a request body and what it is for. */
export type PlacementIntent =
  | ({ type: 'AssignShelter' } & AssignShelterBody)
  | ({ type: 'StartFamilySearch' } & StartFamilySearchBody)
  | ({ type: 'RecordFamilyFound' } & RecordFamilyFoundBody)
  | ({ type: 'Reunify' } & ReunifyBody)
  | { type: 'ApplyHouseholdRegistration' }
  | ({ type: 'RequestAssessment' } & RequestAssessmentBody)
  | ({ type: 'ReferReintegration' } & ReferReintegrationBody)
  | ({ type: 'RecordFollowUpVisit' } & RecordFollowUpVisitBody)
  | ({ type: 'Reintegrate' } & ReintegrateBody);

export interface PlacementChanged {
  file: PlacementFile;
  appended: DomainEvent[];
}

export class ChangePlacement extends Command<PlacementChanged> {
  constructor(
    readonly actor: Actor,
    readonly placementId: string,
    readonly intent: PlacementIntent,
    readonly requestId: string,
  ) {
    super();
  }
}

@CommandHandler(ChangePlacement)
export class ChangePlacementHandler implements ICommandHandler<ChangePlacement, PlacementChanged> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async execute({ actor, placementId, intent, requestId }: ChangePlacement): Promise<PlacementChanged> {
    const stream = placementStream(placementId);
    const { state } = await this.runner.load(stream, placementDecider);
    const command = this.complete(intent, visibleFile(state, actor, placementId), actor);
    const result = await this.runner.run(stream, placementDecider, command, { actor, requestId });
    return { file: toPlacementFile(visibleFile(result.state, actor, placementId), this.clock.now()), appended: result.appended };
  }

  /** Adds what the server decides: the time, the receiving agencies, new ids, configured stays. */
  private complete(intent: PlacementIntent, file: NonNullable<PlacementState>, actor: Actor): PlacementCommand {
    const now = this.clock.now().toISOString();
    const jurisdiction = file.civilAffairs.jurisdiction;
    const from = partyOf(actor);
    switch (intent.type) {
      case 'AssignShelter':
      case 'RecordFollowUpVisit':
        return { ...intent, now };
      case 'ApplyHouseholdRegistration':
        return { ...intent, now, minStayDays: this.config.HOUSEHOLD_REGISTRATION_MIN_STAY_DAYS, from, to: policeFor(this.directory, jurisdiction) };
      case 'RequestAssessment': {
        const { agencyId, ...rest } = intent;
        return { ...rest, assessmentId: newId(), from, to: assessingAgency(this.directory, intent.kind, jurisdiction, agencyId) };
      }
      case 'ReferReintegration':
        return { ...intent, now, from, to: serviceProvider(this.directory, intent.service, jurisdiction) };
      default:
        return intent;
    }
  }
}
