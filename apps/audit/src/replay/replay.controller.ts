import { Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ReplayResponse } from '@atr/contracts';
import { Endpoint } from '@atr/platform';
import { AUDIT_ACCESS } from '../access/audit-access';
import { VerifyReplay } from './replay.command';

@Controller('audit/replays')
export class ReplayController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Endpoint({
    summary: 'Verify the read models by a full replay',
    description:
      'Rebuilds every read model of this process from position 0 into fresh tables and compares them with the live ones ' +
      '(`equal: false` names the table and the first differing row; still 200). Also reads the whole log as the code would ' +
      'and reports events that no longer upcast or validate (`unreadableEvents`). Writes nothing.',
    tags: ['audit'],
    allow: AUDIT_ACCESS,
    status: 200,
    response: ReplayResponse,
  })
  replay() {
    return this.commands.execute(new VerifyReplay());
  }
}
