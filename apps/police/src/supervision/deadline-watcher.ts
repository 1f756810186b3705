import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AgencyKind, referralStream, type Party } from '@atr/contracts';
import { AGENCY_DIRECTORY, CLOCK, CommandRunner, PLATFORM_CONFIG, READ_MODELS, systemActor, THREAD_ROLE, type AgencyDirectory, type Clock, type PlatformConfig, type ReadModels, type ThreadRole } from '@atr/platform';
import { referralDecider } from '../referral/referral.decider';
import type { InboxRow } from '../referral/inbox.projection';
import { coverageClause } from '../shared/coverage';
import { closestParty } from '../shared/parties';

const BATCH = 500;

/**
 * Escalates referrals nobody acknowledged in time to the joint-conference office. Runs every
 * DEADLINE_CHECK_INTERVAL_MS (0: only when asked). The inbox read model finds candidates; the
 * referral decider decides on the stream itself, so a referral acknowledged meanwhile, or one
 * escalated already, is left alone however often the check runs.
 */
@Injectable()
export class DeadlineWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeadlineWatcher.name);
  private timer?: NodeJS.Timeout;
  private inFlight: Promise<number> = Promise.resolve(0);

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
    private readonly runner: CommandRunner,
    @Inject(THREAD_ROLE) private readonly role: ThreadRole,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.DEADLINE_CHECK_INTERVAL_MS;
    if (interval <= 0 || this.role === 'http') return; // timed checks run beside the consumers
    this.timer = setInterval(() => {
      this.checkNow().catch((error) => this.logger.error(`deadline check failed: ${String(error)}`));
    }, interval);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight.catch(() => 0); // let an append in progress finish before the store closes
  }

  /** Escalates every overdue referral (within a jurisdiction when given); returns how many. Checks never overlap. */
  checkNow(within?: string): Promise<number> {
    const next = this.inFlight.catch(() => 0).then(() => this.check(within));
    this.inFlight = next;
    return next;
  }

  private async check(within?: string): Promise<number> {
    const now = this.clock.now();
    const coverage = within ? coverageClause('jurisdiction', within) : undefined;
    const rows = this.readModels.db
      .prepare(
        `SELECT referral_id, jurisdiction, to_agency_id, to_agency_kind FROM police_inbox
         WHERE status = 'RECEIVED' AND escalated = 0 AND acknowledge_by_ms < ? ${coverage ? `AND ${coverage.sql}` : ''}
         ORDER BY acknowledge_by_ms LIMIT ${BATCH}`,
      )
      .all(now.getTime(), ...(coverage ? [coverage.param] : [])) as Pick<InboxRow, 'referral_id' | 'jurisdiction' | 'to_agency_id' | 'to_agency_kind'>[];
    let escalated = 0;
    for (const row of rows) {
      const police: Party = { agencyId: row.to_agency_id, agencyKind: AgencyKind.parse(row.to_agency_kind), jurisdiction: row.jurisdiction };
      const handoff = {
        from: police,
        to: closestParty(this.directory, 'JOINT_CONFERENCE_OFFICE', row.jurisdiction),
        reason: 'acknowledgment deadline passed: overdue referral escalated for supervision',
      };
      const { appended } = await this.runner.run(
        referralStream(row.referral_id),
        referralDecider,
        { type: 'EscalateReferral', at: now.toISOString(), handoff },
        { actor: systemActor(police, 'police') },
      );
      escalated += appended.length;
    }
    return escalated;
  }
}
