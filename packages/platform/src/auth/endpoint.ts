import { applyDecorators, createParamDecorator, ExecutionContext, HttpCode, SetMetadata, UseGuards } from '@nestjs/common';
import type { z } from 'zod';
import type { Actor, AgencyKind, Role } from '@atr/contracts';
import { ZodRequestGuard } from '../http/zod-request.guard';

/** Callers of these roles (and, when given, of these agency kinds). */
export interface AccessRule {
  roles: Role[];
  kinds?: AgencyKind[];
}

export interface EndpointOptions {
  summary: string;
  description?: string;
  tags?: string[];
  /**
   * Who may call it: one rule, or several of which one must match (e.g. the owning agencies, or
   * auditors). Every endpoint must say; an endpoint without it refuses everyone.
   */
  allow: AccessRule | AccessRule[] | 'public';
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  response?: z.ZodType;
  /** Success status (200 unless said). */
  status?: number;
  /** Extra documented error statuses with their meaning. */
  errors?: Record<number, string>;
  /** Documented request headers (e.g. Idempotency-Key). */
  headers?: Record<string, string>;
}

export const ENDPOINT = Symbol('ENDPOINT');

/** The rules of a non-public endpoint as a list. */
export function accessRules(allow: Exclude<EndpointOptions['allow'], 'public'>): AccessRule[] {
  return Array.isArray(allow) ? allow : [allow];
}

/**
 * One decorator per route carries its access rule, its zod schemas (validated on each request)
 * and its OpenAPI description, so the three can never drift apart.
 */
export function Endpoint(options: EndpointOptions): MethodDecorator {
  const decorators: Array<MethodDecorator & ClassDecorator> = [SetMetadata(ENDPOINT, options), UseGuards(ZodRequestGuard)];
  if (options.status) decorators.push(HttpCode(options.status) as MethodDecorator & ClassDecorator);
  return applyDecorators(...decorators);
}

/** The authenticated caller: agency, kind, jurisdiction, user and role. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest().actor as Actor | undefined;
  if (!actor) throw new Error('CurrentActor used on a route without an authenticated actor');
  return actor;
});

/** The request id (from X-Request-Id or generated), used as causation of commands from people. */
export const RequestId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  return String(ctx.switchToHttp().getRequest().id);
});
