import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** The app's pino logger (provided once by CommonModule, for every module). */
export const LOGGER = Symbol('LOGGER');

/** Bytes of log lines held before they are written (one system call for ~15 access-log lines). */
export const LOG_BUFFER_BYTES = 4096;
/** A line waits at most this long in the buffer when traffic is light. */
export const LOG_FLUSH_MS = 200;

type Destination = ReturnType<typeof pino.destination>;

/** The destinations whose buffered lines are written when the process exits (one `exit` listener for all). */
const pending = new Set<Destination>();
let flushHooked = false;

/** Write what `stream` still holds when the process exits, however it exits (process.exit, an uncaught error, the end). */
function flushOnExit(stream: Destination): void {
  pending.add(stream);
  if (flushHooked) return;
  flushHooked = true;
  process.on('exit', () => {
    for (const s of pending) {
      try {
        s.flushSync();
      } catch {
        // stdout already closed: nothing left to write to
      }
    }
  });
}

/**
 * Structured JSON logs on stdout. Buffered: lines are held until LOG_BUFFER_BYTES have gathered or LOG_FLUSH_MS
 * have passed, then go out in one synchronous system call (not one per request: at thousands of requests a second
 * the access log's writes were ~5 % of the server's CPU, RESULTS.md §"Issue 17 target 1"; and a write(2) of 4 kB
 * costs less done in place than handed to libuv's thread pool and called back, session 10). What is still held
 * when the process exits — normally, by process.exit after a shutdown, or by an uncaught error — is written then
 * (flushOnExit: pino registers its own exit flush only for asynchronous destinations).
 */
export function createLogger(level: string): Logger {
  const stream = pino.destination({ dest: 1, sync: true, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS });
  flushOnExit(stream);
  return pino({ level, base: { service: 'tierwise-api' }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
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
