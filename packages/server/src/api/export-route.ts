import { Readable } from 'node:stream';
import type { Matcher } from '@vigil/promql';
import type { FastifyInstance } from 'fastify';
import { API_ERROR_STATUS, ApiError, failure } from './envelope.js';
import { ApiParams } from './params.js';

/** What the export route reads: the store's samples as OpenMetrics text pieces. */
export type ExportSource = (options: { matchers?: Matcher[]; mint?: number; maxt?: number }) => AsyncIterable<string>;

/**
 * `GET /api/vigil/export?match[]=<selector>&start=&end=`: the stored samples as OpenMetrics text
 * (what `vigil export` writes), streamed, while the service runs.
 */
export async function exportRoute(
  app: FastifyInstance,
  options: { source: ExportSource; selector: (text: string) => Matcher[] },
): Promise<void> {
  app.get('/api/vigil/export', async (req, reply) => {
    try {
      const params = new ApiParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
      const selectors = params.all('match[]');
      if (selectors.length > 1) throw new ApiError('bad_data', 'give at most one match[] selector');
      let matchers: Matcher[] | undefined;
      if (selectors[0] !== undefined) {
        try {
          matchers = options.selector(selectors[0]);
        } catch (error) {
          throw new ApiError('bad_data', `invalid parameter "match[]": ${(error as Error).message}`);
        }
      }
      const start = params.time('start', Number.NaN);
      const end = params.time('end', Number.NaN);
      const pieces = options.source({
        ...(matchers ? { matchers } : {}),
        ...(Number.isNaN(start) ? {} : { mint: start }),
        ...(Number.isNaN(end) ? {} : { maxt: end }),
      });
      return reply
        .header('content-type', 'application/openmetrics-text; version=1.0.0; charset=utf-8')
        .send(Readable.from(pieces));
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('internal', (error as Error).message);
      return reply.code(API_ERROR_STATUS[apiError.errorType]).send(failure(apiError));
    }
  });
}
