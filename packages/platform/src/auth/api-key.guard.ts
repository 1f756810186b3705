import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AGENCY_DIRECTORY, AgencyDirectory } from './agency-directory';
import { accessRules, ENDPOINT, type EndpointOptions } from './endpoint';

/**
 * Every request is authenticated by API key (X-Api-Key, or Authorization: Bearer) and bound to
 * agency, kind, jurisdiction and role; the route's `allow` decides. Deny by default.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const endpoint = this.reflector.get<EndpointOptions | undefined>(ENDPOINT, context.getHandler());
    if (endpoint?.allow === 'public') return true;
    const request = context.switchToHttp().getRequest();
    const key = apiKeyOf(request.headers);
    if (!key) throw new UnauthorizedException({ error: 'UNAUTHENTICATED', message: 'send your API key in the X-Api-Key header' });
    const actor = this.directory.authenticate(key);
    if (!actor) throw new UnauthorizedException({ error: 'UNAUTHENTICATED', message: 'unknown API key' });
    request.actor = actor;
    if (!endpoint) throw new ForbiddenException({ error: 'FORBIDDEN', message: 'this route declares no access rule' });
    const rules = accessRules(endpoint.allow);
    if (rules.some((r) => (!r.kinds || r.kinds.includes(actor.agencyKind)) && r.roles.includes(actor.role))) return true;
    // name what did not match: the kind when no rule admits it, else the role (within that kind)
    const kindAdmitted = rules.some((r) => !r.kinds || r.kinds.includes(actor.agencyKind));
    const who = !kindAdmitted
      ? `agencies of kind ${actor.agencyKind}`
      : `role ${actor.role}${rules.length > 1 ? ` of a ${actor.agencyKind} agency` : ''}`;
    throw new ForbiddenException({ error: 'FORBIDDEN', message: `${who} may not ${endpoint.summary.toLowerCase()}` });
  }
}

function apiKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const direct = headers['x-api-key'];
  if (typeof direct === 'string' && direct) return direct;
  const auth = headers['authorization'];
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  return undefined;
}
