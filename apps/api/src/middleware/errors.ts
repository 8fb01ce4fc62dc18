import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { HttpError } from '../errors.js';
import { BusyError } from '../services/hashGate.js';
import {
  InvalidCursorError,
  QuotaExceededError,
  StoreUnavailableError,
  UnknownUserError,
} from '../store/errors.js';
import { REALM } from './requireAuth.js';

/** Maps a Zod validation failure to a message that names the offending field. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

/** Raised by body-parser; its `type` says what went wrong. */
interface BodyParserError extends Error {
  type: string;
  status: number;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  error instanceof Error && typeof (error as Partial<BodyParserError>).type === 'string';

/** The request's path without its query string (which could carry anything). */
const pathOf = (req: Request) => req.originalUrl.split('?')[0];

/** An error from the HTTP layer (router, body-parser, zlib) that carries a 4xx status. */
interface ClientHttpError extends Error {
  status: number;
}

const isClientHttpError = (error: unknown): error is ClientHttpError => {
  const status = error instanceof Error ? (error as Partial<ClientHttpError>).status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500;
};

/** Unknown routes answer 404 JSON. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}` });
};

/** The one place where errors become responses; no stack trace ever leaves the server. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, code, message, headers } = classify(error);
    // Bad input caught below the routes is a warning without a stack (the routes' own refusals are
    // in the request log); only the server's own failures are errors.
    if (status < 500) {
      if (isBodyParserError(error) || isClientHttpError(error)) {
        logger.warn({ method: req.method, path: pathOf(req), status, code }, message);
      }
    } else logger.error({ err: error, method: req.method, path: pathOf(req) }, 'request failed');
    res.set(headers).status(status).json({ error: code, message });
  };
}

function classify(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ZodError) {
    return new HttpError(400, 'invalid_request', describeZodError(error));
  }
  if (error instanceof StoreUnavailableError) {
    return new HttpError(
      503,
      'store_unavailable',
      'The session store is unavailable; try again shortly',
      {
        'Retry-After': '1',
      },
    );
  }
  if (error instanceof BusyError) {
    return error.scope === 'client'
      ? new HttpError(429, 'rate_limited', error.message, { 'Retry-After': '1' })
      : new HttpError(503, 'server_busy', error.message, { 'Retry-After': '1' });
  }
  if (error instanceof QuotaExceededError) {
    return new HttpError(403, 'quota_exceeded', 'The todo quota of this account is used up');
  }
  if (error instanceof InvalidCursorError) {
    return new HttpError(400, 'invalid_request', 'cursor: not a cursor this list handed out');
  }
  if (error instanceof UnknownUserError) {
    return new HttpError(401, 'invalid_token', 'The account no longer exists', {
      'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token"`,
    });
  }
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.parse.failed':
        return new HttpError(400, 'invalid_json', 'The request body is not valid JSON');
      case 'entity.too.large':
        return new HttpError(413, 'payload_too_large', 'The request body exceeds 16 kB');
      case 'charset.unsupported':
      case 'encoding.unsupported':
        return new HttpError(415, 'unsupported_media_type', error.message);
      default:
        return new HttpError(
          error.status >= 400 && error.status < 500 ? error.status : 400,
          'invalid_request',
          error.message,
        );
    }
  }
  // Malformed percent-escapes (router), bodies that are not what their encoding says (zlib).
  if (isClientHttpError(error))
    return new HttpError(error.status, 'invalid_request', error.message);
  return new HttpError(500, 'internal_error', 'Something went wrong');
}
