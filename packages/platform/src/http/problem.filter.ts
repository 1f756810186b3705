import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '@atr/event-store';
import { AccessDenied, NotFound, RuleViolation } from '../domain/errors';
import { ValidationFailed } from './validation';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  issues?: { path: string; code: string; message: string }[];
  rule?: string;
}

/** Maps every failure to one JSON error shape; nothing internal leaks into a 500. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse();
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) this.logger.error({ err: exception }, 'request failed');
    reply.status(body.statusCode).send(body);
  }
}

export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof ValidationFailed) {
    return { statusCode: 400, error: 'VALIDATION_FAILED', message: exception.message, issues: exception.issues };
  }
  if (exception instanceof RuleViolation) {
    return { statusCode: exception.status, error: 'RULE_VIOLATION', rule: exception.rule, message: exception.message };
  }
  if (exception instanceof NotFound) return { statusCode: 404, error: 'NOT_FOUND', message: exception.message };
  if (exception instanceof AccessDenied) return { statusCode: 403, error: 'FORBIDDEN', message: exception.message };
  if (exception instanceof WrongExpectedRevisionError) {
    return { statusCode: 409, error: 'CONCURRENT_MODIFICATION', message: 'the record changed while your command was processed; retry' };
  }
  if (exception instanceof DuplicateEventIdError) return { statusCode: 409, error: 'DUPLICATE_EVENT', message: exception.message };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'object' && response && 'error' in response && 'message' in response) {
      const r = response as { error: string; message: string };
      // Nest's own exceptions say 'Not Found'; keep every error code UPPER_SNAKE like ours
      const error = /^[A-Z][A-Z0-9_]*$/.test(String(r.error)) ? String(r.error) : httpErrorName(status);
      return { statusCode: status, error, message: String(r.message) };
    }
    return { statusCode: status, error: httpErrorName(status), message: exception.message };
  }
  // errors thrown by fastify before a route runs (body too large, malformed JSON…)
  const fastify = exception as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return { statusCode: fastify.statusCode, error: fastify.code ?? httpErrorName(fastify.statusCode), message: fastify.message ?? '' };
  }
  return { statusCode: 500, error: 'INTERNAL', message: 'internal error; it has been logged' };
}

function httpErrorName(status: number): string {
  const names: Record<number, string> = { 400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 422: 'UNPROCESSABLE', 429: 'TOO_MANY_REQUESTS' };
  return names[status] ?? 'ERROR';
}
