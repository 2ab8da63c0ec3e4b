import { DatabaseError } from 'pg';

/** What a caller is told to wait before trying again while the database cannot be reached (seconds). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * How long getting a connection may take before the pool gives up (pg's default is to wait forever). It covers
 * waiting for a free connection of a busy pool too, so it must outlast a burst of work: at 5 s a plain read answered
 * 503 during a simulation in CI (simulation-lifecycle). A database that is really gone is refused at once, and
 * health probes it with its own 3 s bound.
 */
export const DATABASE_CONNECT_TIMEOUT_MS = 30_000;

/** Socket errors: the database server cannot be reached (or the connection to it broke). */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection lost',
  EPIPE: 'connection lost',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ENOENT: 'socket not found',
};

/** PostgreSQL's own codes for "cannot serve you now" (not caused by the request). */
const SERVER: Record<string, string> = {
  '57P01': 'the database server is shutting down',
  '57P02': 'the database server is shutting down',
  '57P03': 'the database server is starting up',
  '53300': 'too many connections',
  '28P01': 'the database refused the credentials',
  '28000': 'the database refused the credentials',
  '3D000': 'the database does not exist',
};

/** pg's and TypeORM's messages when a connection is lost, times out, or is not there. */
const MESSAGES: [RegExp, string][] = [
  [/timeout exceeded when trying to connect|connection timeout|timed out/i, 'connection timed out'],
  [
    /connection terminated|connection ended|terminating connection|client has encountered a connection error|not queryable|ended by the server/i,
    'connection lost',
  ],
  [/driver not connected|cannot use a pool after calling end/i, 'not connected'],
];

function own(e: unknown, key: string): unknown {
  return typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[key] : undefined;
}

/**
 * Why this error means the database cannot be used right now (a short phrase for health and logs),
 * or undefined when it is something else (a bad value, a constraint, a bug). Looks through TypeORM's
 * wrapper (`driverError`), `cause` and an AggregateError's errors (IPv4 + IPv6 connection attempts).
 */
export function databaseUnavailableReason(error: unknown, depth = 0): string | undefined {
  if (error === null || error === undefined || depth > 4) return undefined;
  const code = own(error, 'code');
  if (typeof code === 'string') {
    if (NETWORK[code]) return NETWORK[code];
    if (SERVER[code]) return SERVER[code];
    if (error instanceof DatabaseError && code.startsWith('08')) return `connection failure (SQLSTATE ${code})`;
  }
  if (error instanceof DatabaseError) return undefined; // PostgreSQL answered: not an outage
  const message = own(error, 'message');
  if (typeof message === 'string') for (const [pattern, reason] of MESSAGES) if (pattern.test(message)) return reason;
  for (const inner of [own(error, 'driverError'), own(error, 'cause')]) {
    const reason = databaseUnavailableReason(inner, depth + 1);
    if (reason) return reason;
  }
  const errors = own(error, 'errors');
  if (!Array.isArray(errors)) return undefined;
  for (const inner of errors) {
    const reason = databaseUnavailableReason(inner, depth + 1);
    if (reason) return reason;
  }
  return undefined;
}
