import type { FastifyInstance } from 'fastify';

export interface RegisteredRoute {
  method: string;
  url: string;
}

const tables = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Records every route Fastify registers from now on (call before the routes are added). */
export function recordRoutes(fastify: FastifyInstance): void {
  const routes: RegisteredRoute[] = [];
  tables.set(fastify, routes);
  fastify.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method: String(method).toUpperCase(), url: r.url });
  });
}

/** Every route of the router (HEAD routes Fastify adds for GET included). */
export function registeredRoutes(fastify: FastifyInstance): RegisteredRoute[] {
  return [...(tables.get(fastify) ?? [])];
}
