import type { Actor, ReportScope } from '@atr/contracts';
import { assertOversees, divisionRange, levelOf } from './jurisdiction';
import { parsePeriod, type ReportPeriod } from './period';

/** What every report query needs: who asks, about which division and period. */
export interface ReportRequest {
  auditor: Actor;
  /** Omitted: the auditor's own jurisdiction. */
  jurisdiction?: string;
  /** A period label (2026-H1) or a year (2026). */
  period: string;
}

/** Named SQL parameters of a scope: the division range and the period's [from, to) in epoch ms. */
export interface ScopeParams {
  lo: string;
  hi: string;
  from: number;
  to: number;
}

export interface ResolvedScope {
  jurisdiction: string;
  period: ReportPeriod;
  params: ScopeParams;
}

/** Checks the auditor may see the division (403 otherwise) and turns the request into SQL parameters. */
export function resolveScope({ auditor, jurisdiction, period }: ReportRequest): ResolvedScope {
  const code = jurisdiction ?? auditor.jurisdiction;
  assertOversees(auditor.jurisdiction, code);
  const parsed = parsePeriod(period);
  const { lo, hi } = divisionRange(code);
  return { jurisdiction: code, period: parsed, params: { lo, hi, from: parsed.fromMs, to: parsed.toMs } };
}

export function scopeEcho(scope: ResolvedScope, generatedAt: Date, position: number): ReportScope {
  return {
    jurisdiction: scope.jurisdiction,
    level: levelOf(scope.jurisdiction),
    period: scope.period.label,
    from: scope.period.from,
    to: scope.period.to,
    generatedAt: generatedAt.toISOString(),
    position,
  };
}
