import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  CivilRegistrationSubmission,
  HospitalSubmission,
  OnlineContentSubmission,
  PublicTipSubmission,
  SchoolSubmission,
  SubmissionAccepted,
  type Actor,
  type AgencyKind,
  type AnySubmission,
  type ClueSource,
} from '@atr/contracts';
import { CurrentActor, Endpoint, RequestId, type EndpointOptions } from '@atr/platform';
import { SubmitClue } from './submit-clue.command';

/** The little of Fastify's reply used here: a replay answers 200 instead of the route's 201. */
interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}

const submission = (kind: AgencyKind, what: string, body: EndpointOptions['body']): EndpointOptions => ({
  summary: `Submit ${what}`,
  description:
    'Idempotent: send an Idempotency-Key header (else `sourceReference` is the key). A retry with the same body answers ' +
    '200 with the same body and `Idempotent-Replayed: true`, appending nothing; a different body under a used key is refused (422 IDEMPOTENCY_KEY_REUSED). ' +
    'The submitting agency, kind and jurisdiction come from the API key.',
  tags: ['intake'],
  allow: { roles: ['REPORTER'], kinds: [kind] },
  body,
  response: SubmissionAccepted,
  status: 201,
  headers: { 'Idempotency-Key': 'the key of this submission; retries reuse it (else body.sourceReference)' },
  errors: { 413: 'body larger than BODY_LIMIT_BYTES', 422: 'IDEMPOTENCY_KEY_REUSED: the key was used for a different submission' },
});

/** Source-specific submission APIs: each source has its own body schema and its own agency kind. */
@Controller('clues')
export class SubmissionController {
  constructor(private readonly commands: CommandBus) {}

  @Post('online-content')
  @Endpoint(submission('CYBERSPACE', 'an online-content clue (cyberspace office)', OnlineContentSubmission))
  onlineContent(@Body() body: OnlineContentSubmission, @CurrentActor() actor: Actor, @RequestId() id: string, @Headers('idempotency-key') key: string | undefined, @Res() reply: Reply) {
    return this.submit('ONLINE_CONTENT', body, actor, id, key, reply);
  }

  @Post('hospital-reports')
  @Endpoint(submission('HEALTH', 'a hospital report', HospitalSubmission))
  hospital(@Body() body: HospitalSubmission, @CurrentActor() actor: Actor, @RequestId() id: string, @Headers('idempotency-key') key: string | undefined, @Res() reply: Reply) {
    return this.submit('HOSPITAL', body, actor, id, key, reply);
  }

  @Post('school-reports')
  @Endpoint(submission('EDUCATION', 'a school mandatory report', SchoolSubmission))
  school(@Body() body: SchoolSubmission, @CurrentActor() actor: Actor, @RequestId() id: string, @Headers('idempotency-key') key: string | undefined, @Res() reply: Reply) {
    return this.submit('SCHOOL', body, actor, id, key, reply);
  }

  @Post('civil-registrations')
  @Endpoint(submission('CIVIL_AFFAIRS', 'a civil registration anomaly', CivilRegistrationSubmission))
  civil(@Body() body: CivilRegistrationSubmission, @CurrentActor() actor: Actor, @RequestId() id: string, @Headers('idempotency-key') key: string | undefined, @Res() reply: Reply) {
    return this.submit('CIVIL_REGISTRATION', body, actor, id, key, reply);
  }

  @Post('public-tips')
  @Endpoint(submission('PUBLIC', 'a public tip', PublicTipSubmission))
  publicTip(@Body() body: PublicTipSubmission, @CurrentActor() actor: Actor, @RequestId() id: string, @Headers('idempotency-key') key: string | undefined, @Res() reply: Reply) {
    return this.submit('PUBLIC_TIP', body, actor, id, key, reply);
  }

  private async submit(source: ClueSource, body: AnySubmission, actor: Actor, requestId: string, key: string | undefined, reply: Reply) {
    const { response, replayed } = await this.commands.execute(new SubmitClue(source, body, actor, key, requestId));
    if (replayed) reply.status(200).header('Idempotent-Replayed', 'true').send(response);
    else reply.status(201).send(response);
  }
}
