import type { FastifyInstance } from 'fastify';
import type { ScrapeTarget } from '../scrape/target.js';
import { fetchTargetJson, targetUrl } from './target-fetch.js';

/** Options of `healthRoute`. */
export interface HealthRouteOptions {
  /** The targets being scraped now; only their URLs may be named. */
  targets: () => readonly ScrapeTarget[];
  timeoutMs: number;
}

/**
 * GET /api/vigil/health?target=<scrapeUrl>: the detailed `/health` of an active scrape target,
 * as it answered it (a `down` service answers 503 with the same document); 404 for a URL no
 * active target has, 502/504 with the reason when the target cannot be read.
 */
export async function healthRoute(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  app.get('/api/vigil/health', async (req, reply) => {
    const wanted = (req.query as Record<string, unknown>).target;
    if (typeof wanted !== 'string' || wanted === '') {
      return reply.code(400).send({ error: 'parameter "target" (a scrape URL of /api/v1/targets) is required' });
    }
    const target = options.targets().find((t) => t.url === wanted);
    if (target === undefined) {
      return reply.code(404).send({ error: 'no active scrape target has this URL', target: wanted.slice(0, 256) });
    }
    const url = targetUrl(target, '/health');
    if (url === undefined) return reply.code(400).send({ error: 'the target is not scraped over http or https' });
    const answer = await fetchTargetJson(url, req.headers.authorization, options.timeoutMs);
    if (!answer.ok) return reply.code(answer.status).send({ error: answer.error });
    if (answer.status !== 200 && answer.status !== 503) {
      return reply.code(502).send({ error: `${url.href}: answered ${answer.status}`, status: answer.status });
    }
    return reply.code(answer.status).header('cache-control', 'no-store').send(answer.body);
  });
}
