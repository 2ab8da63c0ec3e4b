import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** The app's pino logger (provided once by CommonModule, for every module). */
export const LOGGER = Symbol('LOGGER');

/** Bytes of log lines held before they are written (one system call for ~15 access-log lines). */
export const LOG_BUFFER_BYTES = 4096;
/** A line waits at most this long in the buffer when traffic is light. */
export const LOG_FLUSH_MS = 200;

/**
 * Structured JSON logs on stdout. Buffered and written asynchronously: lines are held until
 * LOG_BUFFER_BYTES have gathered or LOG_FLUSH_MS have passed, then go out in one system call (not
 * one per request: at thousands of requests a second the access log's writes were ~5 % of the
 * server's CPU, RESULTS.md §"Issue 17 target 1"); pino flushes what is pending when the process
 * exits, normally or by an uncaught error.
 */
export function createLogger(level: string): Logger {
  return pino(
    { level, base: { service: 'tierwise-api' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS }),
  );
}

/** Routes Nest's own log lines into the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
