import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Metrics } from './metrics.service';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Tokens compared in constant time (over their digests, so unequal lengths leak nothing either). */
function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Every answered request counted and timed by its route template (Fastify's `routeOptions.url`,
 * e.g. `/api/policies/:id`; `unmatched` for 404s without a route), and `/metrics` on the public
 * port — served only when METRICS_TOKEN is set, to `Authorization: Bearer <token>`; 404 otherwise
 * (METRICS_PORT serves it on a port of its own instead).
 */
export function installMetrics(fastify: FastifyInstance, metrics: Metrics, token: string | undefined): void {
  if (metrics.enabled) installRequestCounting(fastify, metrics);
  fastify.get('/metrics', async (req, reply) => {
    if (!token) {
      return reply
        .code(404)
        .send({ statusCode: 404, error: 'Not Found', message: 'Metrics are not served here (set METRICS_TOKEN or METRICS_PORT)', code: 'NOT_FOUND' });
    }
    const header = req.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ') || !sameToken(header.slice(7), token)) {
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer realm="metrics"')
        .send({ statusCode: 401, error: 'Unauthorized', message: 'Send Authorization: Bearer <METRICS_TOKEN>', code: 'UNAUTHENTICATED' });
    }
    return reply.header('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

function installRequestCounting(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics') metrics.request(METHODS.has(req.method) ? req.method : 'OTHER', route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}

/** `/metrics` (no token) on a port of its own, e.g. one only the monitoring network reaches. */
export function serveMetricsPort(
  port: number,
  host: string,
  registry: () => { contentType: string; metrics: () => Promise<string> } | Registry,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: GET /metrics\n');
      return;
    }
    const r = registry();
    r.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': r.contentType }).end(text),
      (e: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics failed: ${e instanceof Error ? e.message : String(e)}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
