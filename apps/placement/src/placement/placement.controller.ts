import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  AS_OF_READ_DESCRIPTION,
  AsOfQuery,
  ApplyHouseholdRegistrationBody,
  AssessmentRequestedResponse,
  AssignShelterBody,
  ListPlacementsQuery,
  PlacementFile,
  PlacementList,
  PlacementParams,
  PlacementReferral,
  RecordFamilyFoundBody,
  RecordFollowUpVisitBody,
  ReferReintegrationBody,
  ReintegrateBody,
  RequestAssessmentBody,
  ReunifyBody,
  StartFamilySearchBody,
  readAsOf,
  type Actor,
  type AssessmentRequested,
  type PayloadOf,
  type ReintegrationReferred,
} from '@atr/contracts';
import { AUDITORS, CurrentActor, Endpoint, RequestId } from '@atr/platform';
import { ChangePlacement, type PlacementChanged, type PlacementIntent } from './placement.commands';
import { GetPlacementFile, ListPlacements } from './placement.queries';

const allow = { roles: ['SOCIAL_WORKER' as const], kinds: ['CIVIL_AFFAIRS' as const] };
const tags = ['placement'];
const notFound = { 404: 'no such placement in your jurisdiction' };
const closed = { 409: 'PLACEMENT_CLOSED, VICTIM_ALREADY_REUNIFIED' };
const params = PlacementParams;

/** Rescue, placement and reintegration of a victim handed over by police (civil affairs). */
@Controller('placements')
export class PlacementController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Endpoint({ summary: 'List victim files in your jurisdiction', tags, allow, query: ListPlacementsQuery, response: PlacementList })
  list(@CurrentActor() actor: Actor, @Query() query: ListPlacementsQuery): Promise<PlacementList> {
    return this.queries.execute(new ListPlacements(actor, query));
  }

  @Get(':placementId')
  @Endpoint({
    summary: 'Read a victim file (档案), now or as it was',
    description:
      `Everything civil affairs recorded for one rescued victim, folded from the placement stream by this service: status, shelter, family search, families found, reunification, household registration, assessments, reintegration referrals, follow-up visits. ${AS_OF_READ_DESCRIPTION} ` +
      '`stayDays` counts up to reunification, closure, or `evaluatedAt` for a past read (now otherwise): e.g. before VictimReunified the file is FAMILY_FOUND with no reunification. ' +
      'Social workers of civil affairs see the files of their jurisdiction; auditors and supervisors of the joint-conference office and the procuratorate those their jurisdiction covers. ' +
      'The file holds the victim’s personal data (need-to-know): read it only for oversight.',
    tags,
    allow: [allow, AUDITORS],
    params,
    query: AsOfQuery,
    response: readAsOf(PlacementFile),
    errors: { 404: 'no such placement in your jurisdiction, or the victim was not handed over yet at that point' },
  })
  get(@CurrentActor() actor: Actor, @Param() { placementId }: PlacementParams, @Query() at: AsOfQuery): Promise<PlacementFile> {
    return this.queries.execute(new GetPlacementFile(actor, placementId, at));
  }

  @Post(':placementId/shelter')
  @Endpoint({ summary: 'Assign temporary shelter', tags, allow, params, body: AssignShelterBody, response: PlacementFile, status: 200, errors: { ...notFound, ...closed } })
  shelter(@CurrentActor() actor: Actor, @Param() p: PlacementParams, @Body() body: AssignShelterBody, @RequestId() requestId: string) {
    return this.file(actor, p, { type: 'AssignShelter', ...body }, requestId);
  }

  @Post(':placementId/family-search')
  @Endpoint({ summary: 'Start a family search (寻亲)', tags, allow, params, body: StartFamilySearchBody, response: PlacementFile, status: 200, errors: { ...notFound, ...closed } })
  familySearch(@CurrentActor() actor: Actor, @Param() p: PlacementParams, @Body() body: StartFamilySearchBody, @RequestId() requestId: string) {
    return this.file(actor, p, { type: 'StartFamilySearch', ...body }, requestId);
  }

  @Post(':placementId/families-found')
  @Endpoint({
    summary: 'Record a family found for the victim',
    tags, allow, params, body: RecordFamilyFoundBody, response: PlacementFile, status: 201,
    errors: { ...notFound, 409: 'FAMILY_ALREADY_RECORDED, VICTIM_ALREADY_REUNIFIED, PLACEMENT_CLOSED', 422: 'PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN' },
  })
  familyFound(@CurrentActor() actor: Actor, @Param() p: PlacementParams, @Body() body: RecordFamilyFoundBody, @RequestId() requestId: string) {
    return this.file(actor, p, { type: 'RecordFamilyFound', ...body }, requestId);
  }

  @Post(':placementId/reunification')
  @Endpoint({
    summary: 'Return the victim to a found family (never a buyer family)',
    tags, allow, params, body: ReunifyBody, response: PlacementFile, status: 200,
    errors: { ...notFound, 409: 'FAMILY_NOT_FOUND, VICTIM_ALREADY_REUNIFIED, PLACEMENT_CLOSED', 422: 'PLACEMENT_WITH_BUYER_FAMILY_FORBIDDEN (不得由收买家庭继续抚养)' },
  })
  reunify(@CurrentActor() actor: Actor, @Param() p: PlacementParams, @Body() body: ReunifyBody, @RequestId() requestId: string) {
    return this.file(actor, p, { type: 'Reunify', ...body }, requestId);
  }

  @Post(':placementId/household-registration')
  @Endpoint({
    summary: 'Apply to police for household registration (落户)',
    description: 'Only for a victim without family after HOUSEHOLD_REGISTRATION_MIN_STAY_DAYS in care; hands over to the closest police unit.',
    tags, allow, params, body: ApplyHouseholdRegistrationBody, response: PlacementFile, status: 200,
    errors: { ...notFound, 409: 'FAMILY_FOUND, MIN_STAY_NOT_REACHED, HOUSEHOLD_REGISTRATION_ALREADY_APPLIED, PLACEMENT_CLOSED' },
  })
  householdRegistration(@CurrentActor() actor: Actor, @Param() p: PlacementParams, @RequestId() requestId: string) {
    return this.file(actor, p, { type: 'ApplyHouseholdRegistration' }, requestId);
  }

  @Post(':placementId/assessments')
  @Endpoint({
    summary: 'Request an assessment (medical, psychological, disability, adoption, risk)',
    tags, allow, params, body: RequestAssessmentBody, response: AssessmentRequestedResponse, status: 201,
    errors: { ...notFound, 409: 'PLACEMENT_CLOSED', 422: 'ASSESSING_AGENCY_UNKNOWN, ASSESSING_AGENCY_UNSUITABLE, NO_ASSESSING_AGENCY' },
  })
  async requestAssessment(@CurrentActor() actor: Actor, @Param() p: PlacementParams, @Body() body: RequestAssessmentBody, @RequestId() requestId: string): Promise<AssessmentRequestedResponse> {
    const { appended } = await this.change(actor, p, { type: 'RequestAssessment', ...body }, requestId);
    const payload = appended[0].payload as PayloadOf<typeof AssessmentRequested>;
    return { assessmentId: payload.assessmentId, agency: payload.handoff.to };
  }

  @Post(':placementId/reintegration-referrals')
  @Endpoint({
    summary: 'Refer to school enrolment, vocational training (16+) or legal aid',
    tags, allow, params, body: ReferReintegrationBody, response: PlacementReferral, status: 201,
    errors: { ...notFound, 409: 'PLACEMENT_CLOSED', 422: 'VOCATIONAL_TRAINING_REQUIRES_AGE_16' },
  })
  async refer(@CurrentActor() actor: Actor, @Param() p: PlacementParams, @Body() body: ReferReintegrationBody, @RequestId() requestId: string): Promise<PlacementReferral> {
    const { appended } = await this.change(actor, p, { type: 'ReferReintegration', ...body }, requestId);
    const e = appended[0];
    const payload = e.payload as PayloadOf<typeof ReintegrationReferred>;
    return { referralId: e.eventId, service: payload.service, note: payload.note, referredAt: e.occurredAt, to: payload.handoff.to };
  }

  @Post(':placementId/follow-up-visits')
  @Endpoint({ summary: 'Record a follow-up visit (跟踪回访)', tags, allow, params, body: RecordFollowUpVisitBody, response: PlacementFile, status: 201, errors: { ...notFound, 422: 'VISIT_IN_FUTURE' } })
  visit(@CurrentActor() actor: Actor, @Param() p: PlacementParams, @Body() body: RecordFollowUpVisitBody, @RequestId() requestId: string) {
    return this.file(actor, p, { type: 'RecordFollowUpVisit', ...body }, requestId);
  }

  @Post(':placementId/reintegration')
  @Endpoint({ summary: 'Record the return to society (回归社会) and close the file', tags, allow, params, body: ReintegrateBody, response: PlacementFile, status: 200, errors: { ...notFound, 409: 'PLACEMENT_CLOSED' } })
  reintegrate(@CurrentActor() actor: Actor, @Param() p: PlacementParams, @Body() body: ReintegrateBody, @RequestId() requestId: string) {
    return this.file(actor, p, { type: 'Reintegrate', ...body }, requestId);
  }

  private change(actor: Actor, { placementId }: PlacementParams, intent: PlacementIntent, requestId: string): Promise<PlacementChanged> {
    return this.commands.execute(new ChangePlacement(actor, placementId, intent, requestId));
  }

  private async file(actor: Actor, p: PlacementParams, intent: PlacementIntent, requestId: string): Promise<PlacementFile> {
    return (await this.change(actor, p, intent, requestId)).file;
  }
}
