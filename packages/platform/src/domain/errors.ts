/**
 * A command that breaks a rule of the domain (closing an unsolved child case, placing a child
 * with the buyer family). Mapped to 409 (conflict with the current state) or 422 (the command
 * itself can never be valid) with the rule's name.
 */
export class RuleViolation extends Error {
  constructor(
    readonly rule: string,
    message: string,
    readonly status: 409 | 422 = 409,
  ) {
    super(message);
    this.name = 'RuleViolation';
  }
}

export class NotFound extends Error {
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`${what} ${id} not found`);
    this.name = 'NotFound';
  }
}

/** The caller is known but may not do this. */
export class AccessDenied extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessDenied';
  }
}
