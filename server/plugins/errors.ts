import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError, type ProblemCode } from '../errors.js';
import { InvalidTimeError } from '../domain/time.js';

function problem(reply: FastifyReply, status: number, code: ProblemCode | 'internal', title: string, detail: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).type('application/problem+json').send({
    type: `https://hiroba.example/problems/${code}`, title, status, detail, code, ...extra,
  });
}

/** Fastify's own errors that are the client's fault, by their code. */
const FASTIFY_CODES: Record<string, [ProblemCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'Request too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'Unsupported media type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['bad_request', 'Malformed request'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['bad_request', 'Malformed request'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['bad_request', 'Malformed request'],
};

/**
 * One error handler: problem+json for the API (pages render their own 422s before reaching here).
 * Messages are shown for statuses below 500 only; everything else is logged with the request.
 */
export default fp(async (app) => {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ProblemError) {
      if (error.code === 'rate_limited' && typeof error.extra.retryAfter === 'number') reply.header('retry-after', String(error.extra.retryAfter));
      return problem(reply, error.status, error.code, error.title, error.detail, error.extra);
    }
    if (error instanceof InvalidTimeError) {
      return problem(reply, 422, 'validation_failed', 'Validation failed', error.message, { errors: [{ path: '(time)', message: error.message }] });
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return problem(reply, error.statusCode ?? 400, known[0], known[1], error.message);
    if (error.statusCode === 400 || (error as { name?: string }).name === 'SyntaxError') {
      return problem(reply, 400, 'bad_request', 'Malformed request', 'the request could not be read');
    }
    const sqliteCode = (error as { code?: string }).code ?? '';
    if (sqliteCode.startsWith('SQLITE_CONSTRAINT')) {
      // The database's backstops (overlap trigger, unique and check constraints) caught what the
      // service did not: still the client's conflict, never a 500.
      request.log.warn({ err: error }, 'constraint refused a write');
      return problem(reply, 409, 'conflict', 'Already taken', 'the request conflicts with existing data', { conflicts: [] });
    }
    if (error.statusCode && error.statusCode < 500) {
      return problem(reply, error.statusCode, 'bad_request', 'Bad request', error.message);
    }
    request.log.error({ err: error }, 'request failed');
    return problem(reply, 500, 'internal', 'Internal error', 'something went wrong on our side; it has been logged');
  });
}, { name: 'errors' });
