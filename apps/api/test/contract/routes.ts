import { RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { Operation } from '@tierwise/contract';
import type { FastifyInstance } from 'fastify';
import { OPERATION_METADATA } from '../../src/common/contract/operation.decorator';
import { registeredRoutes } from '../../src/common/contract/route-table';

/** Routes under /api that are not API operations: the docs page (Swagger UI and its assets). Outside /api: the console's files. */
export const NOT_OPERATIONS = [/^\/api\/docs(\/|-json$|-yaml$|$)/];

/** `/api/policies/:id` → `/api/policies/{id}` */
export const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

/** Every API route of the Fastify router, as `GET /api/policies/{id}` (HEAD/OPTIONS left out). */
export function apiRoutes(app: INestApplication): string[] {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  return [
    ...new Set(
      registeredRoutes(fastify)
        .filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && /^\/api(\/|$)/.test(r.url) && !NOT_OPERATIONS.some((p) => p.test(r.url)))
        .map((r) => `${r.method} ${openApiPath(r.url)}`),
    ),
  ].sort();
}

export interface Handler {
  controller: string;
  method: string;
  route: string;
  status: number;
  /** It reads a request body (a @Body() parameter, or the raw request of an upload). */
  takesBody: boolean;
  operation?: Operation;
}

const join = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every controller handler Nest registered, with its route, its status and the operation it declares. */
export function handlers(app: INestApplication): Handler[] {
  const out: Handler[] = [];
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type) continue;
      const prefixes = [Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined].flat();
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const fn = (type.prototype as Record<string, unknown>)[name];
        if (typeof fn !== 'function' || Reflect.getMetadata(METHOD_METADATA, fn) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod];
        const paths = [Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined].flat();
        const args = Object.keys((Reflect.getMetadata(ROUTE_ARGS_METADATA, type, name) as object | undefined) ?? {}).map((k) => Number(k.split(':')[0]));
        const takesBody = args.includes(RouteParamtypes.BODY) || (args.includes(RouteParamtypes.REQUEST) && ['POST', 'PUT', 'PATCH'].includes(method));
        const status = (Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined) ?? (method === 'POST' ? 201 : 200);
        for (const prefix of prefixes)
          for (const path of paths)
            out.push({
              controller: type.name,
              method,
              route: `${method} ${openApiPath(join('api', prefix ?? '', path ?? ''))}`,
              status,
              takesBody,
              operation: Reflect.getMetadata(OPERATION_METADATA, fn) as Operation | undefined,
            });
      }
    }
  }
  return out;
}
