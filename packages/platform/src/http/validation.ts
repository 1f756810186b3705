import type { z } from 'zod';

export interface FieldIssue {
  /** Dotted path of the field, e.g. `child.birthDate` or `details.attachments.0.sha256`. */
  path: string;
  code: string;
  message: string;
}

/** Bad input at a boundary: 400, naming each field and its problem. */
export class ValidationFailed extends Error {
  constructor(
    readonly where: 'body' | 'query' | 'params' | 'headers',
    readonly issues: FieldIssue[],
  ) {
    super(`invalid ${where}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'ValidationFailed';
  }
}

export function toIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

/** Parses a value with a schema or throws ValidationFailed. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: ValidationFailed['where']): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationFailed(where, toIssues(result.error));
  return result.data;
}
