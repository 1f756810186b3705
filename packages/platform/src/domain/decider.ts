import type { DomainEvent, EventDefinition, PayloadOf } from '@atr/contracts';

/** An event a decision produces, before the envelope is added. */
export interface EventDraft<T extends string = string, P = Record<string, unknown>> {
  type: T;
  payload: P;
}

/** Builds a draft whose payload is checked against the event's definition at compile time. */
export function draft<D extends EventDefinition>(def: D, payload: PayloadOf<D>): EventDraft<D['type'], PayloadOf<D>> {
  return { type: def.type, payload };
}

/**
 * A decider (Emmett/Chassaing style): pure functions, so rules are tested as
 * given events → when command → then events, with no store and no Nest.
 */
export interface Decider<State, Command> {
  initialState(): State;
  evolve(state: State, event: DomainEvent): State;
  /** Returns the events the command produces, or throws a RuleViolation naming the rule. */
  decide(command: Command, state: State): EventDraft[];
}

/** Folds a stream's events into a state. */
export function fold<S, C>(decider: Decider<S, C>, events: readonly DomainEvent[]): S {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/** Given-when-then for decider specs: `given(decider, events).when(command)` returns the drafts. */
export function given<S, C>(decider: Decider<S, C>, events: readonly Pick<DomainEvent, 'type' | 'payload'>[]) {
  const state = fold(decider, events as DomainEvent[]);
  return {
    state,
    when: (command: C) => decider.decide(command, state),
  };
}
