import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** The app's pino logger (provided once by CommonModule, for every module). */
export const LOGGER = Symbol('LOGGER');

/**
 * Structured JSON logs on stdout. Written asynchronously: under load, lines logged while a write is
 * in progress go out together in the next one (one system call, not one per request); pino flushes
 * what is pending when the process exits.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'tierwise-api' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 1, sync: false }));
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
