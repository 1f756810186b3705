import type { z } from 'zod';
import { UnknownEventError, upcast, type EventDefinition, type StoredEvent } from '@atr/contracts';

type ObjectEvent = EventDefinition<string, z.ZodObject>;
type Shape<D extends ObjectEvent> = D['payload']['shape'];
type Mask<D extends ObjectEvent> = { [K in keyof Shape<D>]?: true };
type Picked<D extends ObjectEvent, M> = z.infer<z.ZodObject<{ [K in keyof Shape<D> & keyof M]: Shape<D>[K] }>>;

/**
 * Reads the few payload fields a report needs, through the event's own schema: the stored event
 * is upcast to the current version, then only the picked fields are validated. Validating a whole
 * clue (its source details, people, attachments) for every event would dominate the replay.
 */
export function factsOf<D extends ObjectEvent, const M extends Mask<D>>(def: D, mask: M): (event: StoredEvent) => Picked<D, M> {
  const schema = def.payload.pick(mask as Record<string, true>);
  return (event) => {
    const current = upcast(event);
    const parsed = schema.safeParse(current.payload);
    if (!parsed.success) throw new UnknownEventError(event, parsed.error.message);
    return parsed.data as Picked<D, M>;
  };
}

/** Epoch milliseconds of an ISO 8601 instant (the event's times and the payload's own). */
export const ms = (iso: string): number => Date.parse(iso);
