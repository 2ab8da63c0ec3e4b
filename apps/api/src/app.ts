import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppModule } from './app.module';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { PinoNestLogger } from './common/logging/logger';
import { AppConfig } from './config/config';

/**
 * Builds the application without listening, so integration tests reuse exactly what `main.ts` runs.
 * The API lives under /api; the console's production build is served from `/` on the same origin.
 */
export async function createApp(config: AppConfig & { databaseUrl: string }, logger: Logger): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    bodyParser: false,
  });
  app.setGlobalPrefix('api');
  app.enableCors({ exposedHeaders: ['Content-Range', 'X-Request-Id'] });
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/api/health' },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      serializers: { req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }) },
    }),
  );
  app.use('/api', express.json({ limit: '10mb', strict: false }));
  // Body-parser errors (bad JSON, too large) never reach Nest's filter: shape them here.
  const filter = new HttpExceptionFilter(logger);
  app.use((err: unknown, req: Request & { id?: string }, res: Response, next: NextFunction) => {
    if (!err) return next();
    const body = filter.toBody(err);
    res.status(body.statusCode).json({ ...body, requestId: req.id });
  });

  const docs = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Tierwise API').setDescription('Customer-tiering policies: author, simulate, approve, evaluate, audit').setVersion('0.1.0').addBearerAuth().build(),
  );
  SwaggerModule.setup('api/docs', app, docs, { jsonDocumentUrl: 'api/docs-json' });

  serveConsole(app, config.consoleDir, logger);
  return app;
}

/** The console's build at `/`, with client-side routes falling back to index.html. */
function serveConsole(app: NestExpressApplication, dir: string, logger: Logger): void {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ dir }, 'console build not found: only the API is served (run `npm run build`)');
    return;
  }
  app.use(express.static(dir, { index: false, maxAge: '1h' }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
