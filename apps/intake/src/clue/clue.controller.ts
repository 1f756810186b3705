import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  AS_OF_READ_DESCRIPTION,
  AsOfQuery,
  ClueIdParams,
  ClueList,
  ClueListQuery,
  ClueStatusView,
  InformationProvided,
  ProvideInformationBody,
  readAsOf,
  Role,
  type Actor,
  type AgencyKind,
} from '@atr/contracts';
import { CurrentActor, Endpoint } from '@atr/platform';
import { GetClueStatus } from './clue-status.query';
import { ListClues } from './list-clues.query';
import { ProvideInformation } from './provide-information.command';

const SUBMITTING_KINDS: AgencyKind[] = ['CYBERSPACE', 'HEALTH', 'EDUCATION', 'CIVIL_AFFAIRS', 'PUBLIC'];
const PEOPLE: Role[] = Role.options.filter((r) => r !== 'SYSTEM');

/** What became of a clue (feedback 反馈), and the submitter's answers to police questions. */
@Controller('clues')
export class ClueController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Endpoint({
    summary: "List the agency's own clues",
    description: 'Newest first, from the intake_clues read model (eventually consistent by milliseconds).',
    tags: ['intake'],
    allow: { roles: PEOPLE, kinds: SUBMITTING_KINDS },
    query: ClueListQuery,
    response: ClueList,
  })
  list(@CurrentActor() actor: Actor, @Query() query: ClueListQuery) {
    return this.queries.execute(new ListClues(actor, query));
  }

  @Get(':clueId/status')
  @Endpoint({
    summary: 'Read the status of a clue, now or as it was',
    description:
      'Folded from the clue stream by intake: status, triage, routing, referral, duplicate link, police outcome (反馈), open questions and the timeline. ' +
      `${AS_OF_READ_DESCRIPTION} The timeline then ends at that point (what the submitter could see then). ` +
      'Visible to the submitting agency (any role) and to auditors (role AUDITOR) of the joint-conference office and the procuratorate covering the place; ' +
      'to anyone else the clue does not exist (404).',
    tags: ['intake'],
    allow: { roles: PEOPLE },
    params: ClueIdParams,
    query: AsOfQuery,
    response: readAsOf(ClueStatusView),
    errors: { 404: 'no such clue, not yours to see, or not submitted yet at that point' },
  })
  status(@CurrentActor() actor: Actor, @Param() params: { clueId: string }, @Query() at: AsOfQuery) {
    return this.queries.execute(new GetClueStatus(params.clueId, actor, at));
  }

  @Post(':clueId/information')
  @Endpoint({
    summary: 'Answer a police request for information',
    description: 'Only a reporter of the submitting agency; the request must be open. Hands the answer over to the police unit that asked.',
    tags: ['intake'],
    allow: { roles: ['REPORTER'], kinds: SUBMITTING_KINDS },
    params: ClueIdParams,
    body: ProvideInformationBody,
    response: InformationProvided,
    status: 201,
    errors: {
      404: 'no such clue, or not submitted by your agency',
      409: 'INFORMATION_REQUEST_NOT_FOUND or INFORMATION_REQUEST_ALREADY_ANSWERED',
    },
  })
  provideInformation(@CurrentActor() actor: Actor, @Param() params: { clueId: string }, @Body() body: ProvideInformationBody) {
    return this.commands.execute(new ProvideInformation(params.clueId, body, actor));
  }
}
