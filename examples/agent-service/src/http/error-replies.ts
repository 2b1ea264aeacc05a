import { context, type Logger } from '@vigil/sdk';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError, type ApiErrorCode } from '../errors.js';

// Fastify's own errors (body limits, media types, malformed requests) under the API's codes.
const FASTIFY_CODES: Record<number, ApiErrorCode> = {
  404: 'NOT_FOUND',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Makes every error answer `{"error": {"code", "message"}}`, and logs the ones that are our bugs. */
export function registerErrorReplies(app: FastifyInstance, logger: Logger): void {
  const log = logger.module('http');
  app.setErrorHandler((error: FastifyError | ApiError, _req, reply) => {
    const answer = asApiError(error, app.initialConfig.bodyLimit ?? 0);
    if (answer.code === 'INTERNAL') log.error({ err: error }, 'request failed with an unexpected error');
    if (answer.retryAfterSeconds !== undefined) void reply.header('retry-after', String(answer.retryAfterSeconds));
    return reply.code(answer.statusCode).send(answer.toBody());
  });
  app.setNotFoundHandler((req, reply) => {
    const answer = new ApiError('NOT_FOUND', `no route for ${req.method} ${req.url.split('?')[0]}`);
    return reply.code(404).send(answer.toBody());
  });
}

function asApiError(error: FastifyError | ApiError, bodyLimit: number): ApiError {
  if (error instanceof ApiError) return error;
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = FASTIFY_CODES[status] ?? 'BAD_REQUEST';
    const tooLarge = code === 'BODY_TOO_LARGE';
    return new ApiError(code, tooLarge ? `request body is larger than ${bodyLimit} bytes` : error.message);
  }
  const id = context.get().correlation_id;
  return new ApiError(
    'INTERNAL',
    `internal error${id === undefined ? '' : ` (correlation id ${id})`}; see the service logs`,
  );
}
