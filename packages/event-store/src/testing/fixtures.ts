import { randomUUID } from 'node:crypto';
import type { Actor, NewEvent, StoredEvent } from '@atr/contracts';

export const testActor: Actor = {
  agencyId: 'psb-532622',
  agencyKind: 'PUBLIC_SECURITY',
  jurisdiction: '532622',
  userId: 'officer-1',
  role: 'OFFICER',
};

/** A valid NewEvent with a fresh eventId; override what the test is about. */
export function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'TestEventHappened',
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    actor: testActor,
    correlationId: 'clue-test',
    causationId: 'cmd-test',
    payload: {},
    ...overrides,
  };
}

export function newEvents(count: number, overrides: Partial<NewEvent> = {}): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent({ payload: { i }, ...overrides }));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails with `what` after timeoutMs. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export const positionsOf = (events: readonly StoredEvent[]) => events.map((e) => e.globalPosition);
export const idsOf = (events: readonly { eventId: string }[]) => events.map((e) => e.eventId);

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
