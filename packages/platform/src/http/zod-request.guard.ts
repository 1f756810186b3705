import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { ENDPOINT, type EndpointOptions } from '../auth/endpoint';
import { parseOrThrow } from './validation';

/** Validates body, query and params with the route's zod schemas and hands on the parsed values. */
@Injectable()
export class ZodRequestInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const endpoint = this.reflector.get<EndpointOptions | undefined>(ENDPOINT, context.getHandler());
    if (endpoint) {
      const request = context.switchToHttp().getRequest();
      if (endpoint.params) request.params = parseOrThrow(endpoint.params, request.params, 'params');
      if (endpoint.query) request.query = parseOrThrow(endpoint.query, request.query ?? {}, 'query');
      if (endpoint.body) request.body = parseOrThrow(endpoint.body, request.body ?? {}, 'body');
    }
    return next.handle();
  }
}
