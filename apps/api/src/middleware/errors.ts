import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { HttpError } from '../errors.js';
import { StoreUnavailableError } from '../store/errors.js';

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
    if (status >= 500)
      logger.error(
        { err: error, method: req.method, path: req.originalUrl.split('?')[0] },
        'request failed',
      );
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
  return new HttpError(500, 'internal_error', 'Something went wrong');
}
