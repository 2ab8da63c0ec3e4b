import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableReason } from './database-unavailable';
import { AppException, CommonExceptionCode, ErrorDetail, ErrorKind, ErrorParams } from './app.exception';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  /** What the console needs to render the message in the user's language (`tw.errors.<code>`). */
  params?: ErrorParams;
  details?: ErrorDetail[];
  requestId?: string;
}

export function statusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'bad-request':
      return HttpStatus.BAD_REQUEST;
    case 'unauthorized':
      return HttpStatus.UNAUTHORIZED;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'not-found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
      return HttpStatus.CONFLICT;
    case 'precondition-failed':
      return HttpStatus.PRECONDITION_FAILED;
    case 'payload-too-large':
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case 'unsupported-media-type':
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case 'validation':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'too-many-requests':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'unavailable':
      return HttpStatus.SERVICE_UNAVAILABLE;
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Fastify's request errors, in our words and codes. */
const FASTIFY_ERRORS: Record<string, { code: CommonExceptionCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: CommonExceptionCode.PayloadTooLarge, message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: CommonExceptionCode.UnsupportedMediaType,
    message: 'This content type is not accepted: send application/json (or multipart/form-data for a file upload)',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: CommonExceptionCode.MalformedRequest, message: 'The Content-Length header does not match the body' },
  FST_ERR_CTP_EMPTY_TYPE: { code: CommonExceptionCode.UnsupportedMediaType, message: 'The Content-Type header is empty' },
  FST_ERR_CTP_INVALID_TYPE: { code: CommonExceptionCode.UnsupportedMediaType, message: 'The Content-Type header is not valid' },
};

function fastifyError(statusCode: number, e: unknown): ErrorBody | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  const known = typeof code === 'string' ? FASTIFY_ERRORS[code] : undefined;
  return known && { statusCode, error: REASONS[statusCode] ?? 'Error', message: known.message, code: known.code };
}

/** PostgreSQL errors a user's input can cause (bad UUID text, value out of range, …) are 4xx, not 500. */
function fromDatabase(error: QueryFailedError | DatabaseError): { status: number; message: string } | undefined {
  const code = (error instanceof DatabaseError ? error.code : (error.driverError as { code?: string } | undefined)?.code) ?? '';
  if (['22P02', '22003', '22007', '22008', '22001', '22021', '22P05', '2201B', '54000', '54001'].includes(code)) {
    return { status: 400, message: 'A value in the request has the wrong form' };
  }
  if (code === '23505') return { status: 409, message: 'That already exists' };
  if (code === '40001' || code === '40P01') return { status: 409, message: 'A concurrent change conflicted; retry' };
  return undefined;
}

/** The one filter: coded domain exceptions, framework errors and Fastify's request errors → contract §7 shape. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const unavailable = exception instanceof AppException ? undefined : databaseUnavailableReason(exception);
    const body = unavailable ? this.databaseUnavailable(unavailable) : this.toBody(exception);
    body.requestId = typeof req.id === 'string' ? req.id : undefined;
    if (unavailable) {
      this.logger.warn({ reason: unavailable, requestId: body.requestId, url: req.url }, 'database unavailable');
    } else if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId: body.requestId, url: req.url }, 'request failed');
    }
    if (res.sent || res.raw.headersSent) return;
    if (unavailable) res.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    if (exception instanceof AppException && exception.retryAfterSeconds) res.header('Retry-After', String(exception.retryAfterSeconds));
    res.status(body.statusCode).send(body);
  }

  /**
   * The database cannot be reached (refused, lost, timed out, too many connections): 503 with a code, never 500; the
   * client retries after Retry-After. `params.reason` says which (a short phrase, no address or credentials), so an
   * operator or a failing test knows why without the server's log.
   */
  private databaseUnavailable(reason: string): ErrorBody {
    return {
      statusCode: 503,
      error: REASONS[503],
      message: 'The database cannot be reached right now; try again shortly',
      code: CommonExceptionCode.DatabaseUnavailable,
      params: { reason },
    };
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof AppException) {
      const statusCode = statusOf(exception.kind);
      return {
        statusCode,
        error: REASONS[statusCode],
        message: exception.message,
        code: exception.code,
        ...(exception.params ? { params: exception.params } : {}),
        details: exception.details,
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const known = fastifyError(statusCode, exception.cause);
      if (known) return known;
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : typeof (response as { message?: unknown }).message === 'string'
            ? String((response as { message: string }).message)
            : exception.message;
      return { statusCode, error: REASONS[statusCode] ?? 'Error', message };
    }
    if (exception instanceof QueryFailedError || exception instanceof DatabaseError) {
      const mapped = fromDatabase(exception);
      if (mapped) return { statusCode: mapped.status, error: REASONS[mapped.status], message: mapped.message };
    }
    // Fastify's own errors (body too large, unsupported content type, bad header) carry a 4xx `statusCode` and a `code`.
    const e = exception as { statusCode?: unknown; message?: unknown };
    const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
    if (status !== undefined && status >= 400 && status < 500) {
      return (
        fastifyError(status, e) ?? { statusCode: status, error: REASONS[status] ?? 'Error', message: typeof e.message === 'string' ? e.message : 'Bad request' }
      );
    }
    return { statusCode: 500, error: REASONS[500], message: 'Internal server error' };
  }
}
