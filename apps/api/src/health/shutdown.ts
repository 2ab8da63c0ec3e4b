import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * Whether this process is shutting down. Set first on SIGTERM, so `/api/health/ready` turns 503
 * before any connection closes, and every response from then on says `Connection: close`.
 */
export class ShutdownState {
  private since?: number;

  get stopping(): boolean {
    return this.since !== undefined;
  }

  begin(): void {
    this.since ??= Date.now();
  }
}

/** Every response sent once shutdown has begun closes its connection, so no client reuses a connection about to go away. */
export function closeConnectionsWhenStopping(fastify: FastifyInstance, state: ShutdownState): void {
  fastify.addHook('onSend', (req, reply, payload, done) => {
    if (state.stopping && req.raw.httpVersionMajor < 2) reply.header('Connection', 'close');
    done(null, payload);
  });
}

export interface ShutdownSettings {
  /** Longest wait for in-flight requests after the server stops accepting (SHUTDOWN_GRACE_SECONDS). */
  graceSeconds: number;
  /** Time to keep serving after readiness turns false, so load balancers stop sending first (SHUTDOWN_DELAY_SECONDS). */
  delaySeconds: number;
}

/** After the HTTP side has drained, closing the database, workers and queues may take at most this long. */
export const CLOSE_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Graceful stop of one serving process: mark not ready; (optionally) keep serving for the delay;
 * stop accepting connections and close idle kept-alive ones; wait for in-flight requests up to the
 * grace period, then cut what is left; then close the app (decision log drained, jobs stopped,
 * database pools ended). Resolves true when everything closed in time.
 */
export async function stopGracefully(app: INestApplication, settings: ShutdownSettings, logger: Logger): Promise<boolean> {
  app.get(ShutdownState).begin();
  if (settings.delaySeconds > 0) {
    logger.info({ delaySeconds: settings.delaySeconds }, 'not ready: still serving while load balancers notice');
    await sleep(settings.delaySeconds * 1000);
  }
  const server = app.getHttpServer() as Server;
  if (server.listening) {
    const drained = new Promise<boolean>((resolve) => server.close(() => resolve(true)));
    const timer = sleep(settings.graceSeconds * 1000).then(() => false);
    const inTime = await Promise.race([drained, timer]);
    if (!inTime) {
      logger.warn({ graceSeconds: settings.graceSeconds }, 'shutdown grace period over: closing the connections still open');
      server.closeAllConnections();
    }
  }
  const closed = await Promise.race([
    app.close().then(
      () => true,
      (e: unknown) => {
        logger.error({ err: e }, 'error while closing the app');
        return false;
      },
    ),
    sleep(CLOSE_TIMEOUT_MS).then(() => {
      logger.error({ timeoutMs: CLOSE_TIMEOUT_MS }, 'closing the app (database, jobs) took too long: exiting anyway');
      return false;
    }),
  ]);
  return closed;
}
