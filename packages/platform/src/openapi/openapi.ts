import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { z } from 'zod';
import { accessRules, ENDPOINT, type AccessRule, type EndpointOptions } from '../auth/endpoint';

type JsonSchema = Record<string, unknown>;

const ErrorBody = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  rule: z.string().optional(),
});

const schema = (s: z.ZodType, io: 'input' | 'output'): JsonSchema =>
  z.toJSONSchema(s, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as JsonSchema;

/** Builds the OpenAPI document from the routes' own zod schemas and access rules. */
export function buildOpenApiDocument(app: INestApplication, info: { title: string; version: string; description?: string }) {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '');
    const prototype = Object.getPrototypeOf(instance);
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const endpoint = Reflect.getMetadata(ENDPOINT, handler) as EndpointOptions | undefined;
      if (!endpoint) continue;
      const route = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number].toLowerCase();
      const joined = ('/' + [base, route].filter(Boolean).join('/')).replace(/\/+/g, '/').replace(/:(\w+)/g, '{$1}');
      const path = joined.length > 1 ? joined.replace(/\/$/, '') : joined;
      paths[path] ??= {};
      paths[path][method] = operation(endpoint, path);
    }
  }
  return {
    openapi: '3.0.3',
    info,
    components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
    security: [{ apiKey: [] }],
    paths,
  };
}

function operation(e: EndpointOptions, path: string) {
  const parameters: unknown[] = [];
  for (const [where, s] of [['path', e.params], ['query', e.query]] as const) {
    if (!s) continue;
    const props = (schema(s, 'input').properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema(s, 'input').required as string[] | undefined) ?? []);
    for (const [name, p] of Object.entries(props)) parameters.push({ name, in: where, required: where === 'path' || required.has(name), schema: p });
  }
  for (const match of path.matchAll(/\{(\w+)\}/g)) {
    if (!parameters.some((p) => (p as { name: string }).name === match[1])) parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
  }
  for (const [name, description] of Object.entries(e.headers ?? {})) parameters.push({ name, in: 'header', required: false, description, schema: { type: 'string' } });
  const status = String(e.status ?? 200);
  const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: schema(ErrorBody, 'output') } } });
  const responses: Record<string, unknown> = {
    [status]: { description: 'success', ...(e.response ? { content: { 'application/json': { schema: schema(e.response, 'output') } } } : {}) },
  };
  if (e.body || e.query || e.params) responses['400'] = errorResponse('invalid input: each issue names the field path and the problem');
  if (e.allow !== 'public') {
    responses['401'] = errorResponse('missing or unknown API key');
    responses['403'] = errorResponse('this agency kind or role may not do this');
  }
  for (const [code, description] of Object.entries(e.errors ?? {})) responses[code] = errorResponse(description);
  const rule = (r: AccessRule) => `roles ${r.roles.join(', ')}${r.kinds ? `; agency kinds ${r.kinds.join(', ')}` : ''}`;
  const who = e.allow === 'public' ? 'Public.' : `Allowed: ${accessRules(e.allow).map(rule).join('; or ')}.`;
  return {
    summary: e.summary,
    description: [e.description, who].filter(Boolean).join('\n\n'),
    tags: e.tags,
    ...(e.allow === 'public' ? { security: [] } : {}),
    parameters,
    ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(e.body, 'input') } } } } : {}),
    responses,
  };
}
