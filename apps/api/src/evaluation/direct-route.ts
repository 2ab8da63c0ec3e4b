import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthGuard } from '../auth/auth.guard';
import type { Principal } from '../common/access/access.decorators';
import { EvaluationController, evaluateBodyPipe } from './evaluation.controller';

/**
 * `POST /api/evaluate`, the hottest route, is run by a plain Fastify handler instead of Nest's router (issue 17
 * target 1: Nest's per-request machinery — the guard and pipe consumers, execution contexts, the response
 * controller — was ~7 % of the server's busy time). Nothing else changes: the route stays declared by
 * EvaluationController (contract operation, roles, OpenAPI, route table), Fastify's hooks (request id, access
 * log, CORS, metrics, Connection: close on shutdown) and the body parser run as for every route, and its steps
 * are the same objects in the same order — the guard's `authorize` with the route's own decorators, the
 * route's ZodBody pipe, then the controller's method. An exception goes to Fastify's error handler, which Nest
 * set to the app's exception filter, so the error bodies and codes are those of every other route.
 *
 * Installed before `app.init()` registers the routes: Nest's handler is swapped as Fastify adds the route.
 */
export function serveEvaluateDirectly(fastify: FastifyInstance, app: INestApplication): void {
  fastify.addHook('onRoute', (route) => {
    if (route.url !== '/api/evaluate' || [route.method].flat().join() !== 'POST') return;
    const guard = app.get(AuthGuard);
    const controller = app.get(EvaluationController);
    const access = guard.accessOf(EvaluationController.prototype.evaluate, EvaluationController);
    route.handler = async (req: FastifyRequest & { user?: Principal }, reply: FastifyReply) => {
      await guard.authorize(req, access);
      if (!req.user) throw new Error('POST /api/evaluate reached without a principal');
      reply.code(200); // @HttpCode(200), as Nest would set it
      return controller.evaluate(req.user, evaluateBodyPipe.transform(req.body), reply);
    };
  });
}
