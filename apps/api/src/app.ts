import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { openApiDocument } from '@tierwise/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import sjson from 'secure-json-parse';
import { AppModule } from './app.module';
import { recordRoutes } from './common/contract/route-table';
import { CommonException, CommonExceptionCode } from './common/errors/app.exception';
import { assertJsonDepth, MAX_JSON_DEPTH } from './common/json-depth';
import { markNulFree } from './common/validation';
import { PinoNestLogger } from './common/logging/logger';
import { AppConfig } from './config/config';
import { serveEvaluateDirectly } from './evaluation/direct-route';
import { closeConnectionsWhenStopping, ShutdownState } from './health/shutdown';
import { installMetrics } from './metrics/metrics-http';
import { Metrics } from './metrics/metrics.service';

/** The largest JSON body accepted (a batch of 10,000 customers fits). */
export const JSON_BODY_LIMIT = 10 * 1024 * 1024;

/** A caller's own `X-Request-Id` is kept when it is plain; otherwise each request gets a UUID. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
}

/**
 * Builds the application (initialised, not listening), so integration tests run exactly what
 * `main.ts` runs. NestJS on Fastify: the API lives under /api; the console's production build is
 * served from `/` on the same origin.
 */
export async function createApp(config: AppConfig & { databaseUrl: string }, logger: Logger): Promise<INestApplication> {
  const adapter = new FastifyAdapter({ logger: false, genReqId: requestId, bodyLimit: JSON_BODY_LIMIT, routerOptions: { maxParamLength: 500 } });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger), adapter, {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    bodyParser: false,
  });
  app.setGlobalPrefix('api');
  app.enableCors({ exposedHeaders: ['Content-Range', 'X-Request-Id'] });
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  recordRoutes(fastify);
  serveEvaluateDirectly(fastify, app);
  accessLog(fastify, logger);
  closeConnectionsWhenStopping(fastify, app.get(ShutdownState));
  installMetrics(fastify, app.get(Metrics), config.metricsToken);
  bodyParsers(fastify);
  // multipart/form-data: streamed by the handlers that take uploads (common/upload.ts), each with its own limits
  await app.register(fastifyMultipart, { throwFileSizeLimit: true });

  // The contract (@tierwise/contract) is the one source of the document: served as JSON and by the docs page.
  const docs = openApiDocument();
  fastify.get('/api/openapi.json', (_req, reply) => reply.header('Cache-Control', 'no-cache').send(docs));
  SwaggerModule.setup('api/docs', app, docs as unknown as OpenAPIObject, { jsonDocumentUrl: 'api/docs-json' });

  await serveConsole(app, fastify, config.consoleDir, logger);
  await app.init();
  await fastify.ready();
  return app;
}

/** One JSON line per finished request (not health probes), with its id; the id is echoed as `X-Request-Id`. */
function accessLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('X-Request-Id', req.id);
    done();
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    if (req.url !== '/api/health' && !req.url.startsWith('/api/health/')) {
      const status = reply.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      logger[level](
        { req: { id: req.id, method: req.method, url: req.url }, res: { statusCode: status }, responseTime: Math.round(reply.elapsedTime * 100) / 100 },
        'request completed',
      );
    }
    done();
  });
}

/**
 * How deep the JSON text's objects and arrays nest (brackets in strings not counted), scanning until `stop` is reached:
 * for text JSON.parse accepted, exactly the depth of the parsed value. A batch of 10,000 customers holds 20,000
 * brackets but nests 4 deep: counting brackets sent every batch through the walk of all its values (tooDeepAt).
 */
function nestingDepth(text: string, stop: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length && deepest < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: on to its closing quote, the first one after an even number of backslashes
      let end = text.indexOf('"', i + 1);
      for (;;) {
        if (end === -1) return deepest;
        let k = end - 1;
        while (text.charCodeAt(k) === 0x5c) k--;
        if ((end - k) % 2 === 1) break;
        end = text.indexOf('"', end + 1);
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/**
 * JSON bodies (an empty one reads as `{}`, as body-parser did; `__proto__` / `constructor.prototype`
 * keys are refused), and multipart bodies left unread for the handler that streams them (dataset
 * uploads). Any other content type (text/plain included) is refused with 415 before a handler runs.
 */
function bodyParsers(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    let parsed: unknown;
    try {
      parsed = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (e) {
      const forbidden = e instanceof SyntaxError && /prototype/i.test(e.message);
      done(
        new CommonException(
          CommonExceptionCode.MalformedRequest,
          forbidden ? 'The request body uses a forbidden key (__proto__ or constructor.prototype)' : 'The request body is not valid JSON',
        ),
        undefined,
      );
      return;
    }
    // only a body nesting deeper than MAX_JSON_DEPTH is walked (for the path of its deepest value)
    if (nestingDepth(text, MAX_JSON_DEPTH + 1) > MAX_JSON_DEPTH) {
      try {
        assertJsonDepth(parsed, 'The request body');
      } catch (e) {
        return done(e as Error, undefined);
      }
    }
    markNulFree(parsed, text);
    done(null, parsed);
  });
}

/** The console's build at `/`, with client-side routes falling back to index.html. */
async function serveConsole(app: NestFastifyApplication, fastify: FastifyInstance, dir: string, logger: Logger): Promise<void> {
  if (!existsSync(`${dir}/index.html`)) {
    logger.warn({ dir }, 'console build not found: only the API is served (run `npm run build`)');
    return;
  }
  await app.register(fastifyStatic, { root: dir, index: false, wildcard: false, maxAge: '1h' });
  fastify.get('/*', (req: FastifyRequest, reply: FastifyReply) => {
    if (req.url === '/api' || req.url.startsWith('/api/') || req.url.startsWith('/api?')) return reply.callNotFound();
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });
}
