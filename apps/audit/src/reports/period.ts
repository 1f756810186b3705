/**
 * Report periods. The action plans count in calendar half-years and years as lived in China, so
 * a period starts at midnight China Standard Time (UTC+08:00, no daylight saving): an event at
 * 2026-06-30T16:00Z is on 1 July in Beijing and belongs to 2026-H2.
 */
const OFFSET_MS = 8 * 3_600_000;
export const REPORT_UTC_OFFSET = '+08:00';

export interface ReportPeriod {
  /** `2026-H1`, `2026-H2` or `2026`. */
  label: string;
  kind: 'HALF_YEAR' | 'YEAR';
  /** Inclusive start and exclusive end, as epoch milliseconds. */
  fromMs: number;
  toMs: number;
  /** The same instants in ISO 8601 with the +08:00 offset, for people. */
  from: string;
  to: string;
}

const LABEL = /^((?:19|20)\d{2})(?:-H([12]))?$/;

/** Parses a period label; throws on anything else (the HTTP schema refuses bad labels first). */
export function parsePeriod(label: string): ReportPeriod {
  const match = LABEL.exec(label);
  if (!match) throw new Error(`not a report period: ${label}`);
  const year = Number(match[1]);
  const half = match[2] ? Number(match[2]) : undefined;
  const [firstMonth, endMonth] = half === undefined ? [0, 12] : half === 1 ? [0, 6] : [6, 12];
  const fromMs = Date.UTC(year, firstMonth, 1) - OFFSET_MS;
  const toMs = Date.UTC(year, endMonth, 1) - OFFSET_MS;
  return { label, kind: half === undefined ? 'YEAR' : 'HALF_YEAR', fromMs, toMs, from: chinaTime(fromMs), to: chinaTime(toMs) };
}

/** An instant written in China Standard Time, e.g. 2026-07-01T00:00:00+08:00. */
export function chinaTime(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 19) + REPORT_UTC_OFFSET;
}
