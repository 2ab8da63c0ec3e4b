import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** The app's pino logger (provided once by CommonModule, for every module). */
export const LOGGER = Symbol('LOGGER');

/** Bytes of log lines held before they are written (one system call for ~15 access-log lines). */
export const LOG_BUFFER_BYTES = 4096;
/** A line waits at most this long in the buffer when traffic is light. */
export const LOG_FLUSH_MS = 200;

type Destination = ReturnType<typeof pino.destination>;

/**
 * Lines gathered in front of the stdout destination and handed to it LOG_BUFFER_BYTES at a time (counted in
 * characters: a line of Chinese text is up to three times that in bytes), or after LOG_FLUSH_MS. Not sonic-boom's
 * own `minLength`: its write measures the bytes of the whole held buffer again at every line (Buffer.byteLength,
 * ~1 % of the logged server's busy time at 32 connections, session 10); here a line costs an array push.
 */
class LineBuffer {
  private lines: string[] = [];
  private chars = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly out: Destination) {
    this.timer = setInterval(() => this.hand(), LOG_FLUSH_MS);
    this.timer.unref();
  }

  write(line: string): boolean {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= LOG_BUFFER_BYTES) this.hand();
    return true;
  }

  /** pino's logger.flush(): what is held, written now. */
  flush(cb?: (err?: Error) => void): void {
    this.hand();
    cb?.();
  }

  /** Everything held, written before returning (the exit hook). */
  flushSync(): void {
    this.hand();
    this.out.flushSync();
  }

  private hand(): void {
    if (this.lines.length === 0) return;
    const text = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.out.write(text);
  }
}

/** The buffers whose lines are written when the process exits (one `exit` listener for all). */
const pending = new Set<LineBuffer>();
let flushHooked = false;

/** Write what `stream` still holds when the process exits, however it exits (process.exit, an uncaught error, the end). */
function flushOnExit(stream: LineBuffer): void {
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

/** pino's `isoTime` (`,"time":"2026-12-02T13:43:53.338Z"`), the text made once per millisecond rather than once per line. */
let stampMs = -1;
let stamp = '';
function isoTime(): string {
  const now = Date.now();
  if (now !== stampMs) {
    stampMs = now;
    stamp = `,"time":"${new Date(now).toISOString()}"`;
  }
  return stamp;
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
  const stream = new LineBuffer(pino.destination({ dest: 1, sync: true }));
  flushOnExit(stream);
  return pino({ level, base: { service: 'tierwise-api' }, timestamp: isoTime }, stream);
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
