/** What kind of failure a coded domain exception is; the one filter maps each kind to an HTTP status. */
export type ErrorKind =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'validation'
  | 'too-many-requests'
  | 'unavailable';

/** Values a console needs to say the message in its own language (counts, names, numbers). */
export type ErrorParams = Record<string, string | number | boolean | null>;

export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
  params?: ErrorParams;
  /** The policy engine's own Chinese wording of a definition issue. */
  messageZh?: string;
}

/**
 * Base of every module's coded exception (`PolicyException`, `CatalogException`, ...). Services
 * throw these for anything a user can cause; never `HttpException` or a bare `Error`.
 */
export abstract class AppException extends Error {
  abstract readonly kind: ErrorKind;
  /** Sent as `Retry-After` (seconds): when a 429 or 503 may be tried again. */
  retryAfterSeconds?: number;

  /** The same exception, answered with `Retry-After: seconds`. */
  retryAfter(seconds: number): this {
    this.retryAfterSeconds = Math.max(1, Math.ceil(seconds));
    return this;
  }

  constructor(
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly params?: ErrorParams,
  ) {
    super(message);
  }
}

/** Errors of the platform itself (request shape, auth): not owned by a product module. */
export enum CommonExceptionCode {
  MalformedRequest = 'MALFORMED_REQUEST',
  InvalidBody = 'INVALID_BODY',
  InvalidQuery = 'INVALID_QUERY',
  NotFound = 'NOT_FOUND',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  /** JSON nested deeper than MAX_JSON_DEPTH (common/json-depth.ts). */
  JsonTooDeep = 'JSON_TOO_DEEP',
}

const COMMON_KINDS: Record<CommonExceptionCode, ErrorKind> = {
  [CommonExceptionCode.MalformedRequest]: 'bad-request',
  [CommonExceptionCode.InvalidBody]: 'validation',
  [CommonExceptionCode.InvalidQuery]: 'bad-request',
  [CommonExceptionCode.NotFound]: 'not-found',
  [CommonExceptionCode.Unauthenticated]: 'unauthorized',
  [CommonExceptionCode.Forbidden]: 'forbidden',
  [CommonExceptionCode.PayloadTooLarge]: 'payload-too-large',
  [CommonExceptionCode.UnsupportedMediaType]: 'unsupported-media-type',
  [CommonExceptionCode.DatabaseUnavailable]: 'unavailable',
  [CommonExceptionCode.JsonTooDeep]: 'validation',
};

/**
 * Makes a module's coded exception class: `new PolicyException(PolicyExceptionCode.X, message, details)`.
 * The code → kind table is exhaustive, so adding a code without deciding its HTTP meaning does not compile.
 */
export function codedException<C extends string>(name: string, kinds: Record<C, ErrorKind>) {
  const Coded = class extends AppException {
    readonly kind: ErrorKind;
    constructor(code: C, message: string, details?: ErrorDetail[], params?: ErrorParams) {
      super(code, message, details, params);
      this.kind = kinds[code];
      this.name = name;
    }
  };
  return Coded;
}

export const CommonException = codedException<CommonExceptionCode>('CommonException', COMMON_KINDS);
