import type { FastifyInstance } from 'fastify';
import type { ScrapeTarget } from '../scrape/target.js';
import { fetchTargetJson, targetUrl } from './target-fetch.js';

/** Options of `sessionsRoute`. */
export interface SessionsRouteOptions {
  targets: () => readonly ScrapeTarget[];
  timeoutMs: number;
  /** Targets asked at once. */
  concurrency?: number;
}

const STATUSES = new Set(['active', 'idle', 'closed', 'open', 'all']);
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

/** A session as an agent's `GET /admin/sessions` lists it, with the scrape job and instance it came from. */
type Session = Record<string, unknown> & { last_active_at?: unknown };

/**
 * GET /api/vigil/sessions?status=open|closed|...&limit=: the sessions of every agent being
 * scraped, read from each target's `/admin/sessions` (the SDK's `SessionRegistry` routes), newest
 * activity first, as `{count, truncated, sessions, errors}`. Targets without those routes (404, or
 * a page that is not JSON) are skipped; targets that fail are named in `errors`, the rest still answered.
 */
export async function sessionsRoute(app: FastifyInstance, options: SessionsRouteOptions): Promise<void> {
  app.get('/api/vigil/sessions', async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const status = typeof query.status === 'string' && query.status !== '' ? query.status : 'open';
    if (!STATUSES.has(status)) {
      return reply.code(400).send({ error: 'parameter "status" must be one of active, idle, closed, open, all' });
    }
    const limitText = typeof query.limit === 'string' && query.limit !== '' ? query.limit : String(DEFAULT_LIMIT);
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_LIMIT) {
      return reply.code(400).send({ error: `parameter "limit" must be a whole number from 1 to ${MAX_LIMIT}` });
    }
    // One request per origin: several jobs may scrape the same process.
    const origins = new Map<string, { url: URL; target: ScrapeTarget }>();
    for (const target of options.targets()) {
      const url = targetUrl(target, '/admin/sessions');
      if (url === undefined || origins.has(url.origin)) continue;
      url.search = new URLSearchParams({ status, limit: String(limit) }).toString();
      origins.set(url.origin, { url, target });
    }
    const sessions: Session[] = [];
    const errors: { job: string; instance: string; error: string }[] = [];
    let truncated = false;
    await eachLimited([...origins.values()], options.concurrency ?? 8, async ({ url, target }) => {
      const instance = target.labels.find((l) => l.name === 'instance')?.value ?? url.host;
      const answer = await fetchTargetJson(url, req.headers.authorization, options.timeoutMs);
      // Not an agent: no such route, or a page (a web app's catch-all) rather than the SDK's JSON.
      if ((answer.ok && answer.status === 404) || (!answer.ok && answer.notJson)) return;
      const listed = answer.ok ? (answer.body as { sessions?: unknown; truncated?: unknown }) : undefined;
      if (!answer.ok || answer.status !== 200 || !Array.isArray(listed?.sessions)) {
        const error = answer.ok ? `${url.origin}/admin/sessions answered ${answer.status}` : answer.error;
        errors.push({ job: target.job, instance, error });
        return;
      }
      if (listed.truncated === true) truncated = true;
      for (const session of listed.sessions as unknown[]) {
        if (typeof session === 'object' && session !== null) sessions.push({ ...session, job: target.job, instance });
      }
    });
    sessions.sort((a, b) => activity(b) - activity(a));
    if (sessions.length > limit) truncated = true;
    return reply
      .header('cache-control', 'no-store')
      .send({ count: sessions.length, truncated, sessions: sessions.slice(0, limit), errors });
  });
}

function activity(session: Session): number {
  return typeof session.last_active_at === 'number' ? session.last_active_at : 0;
}

/** Runs `work` over `items`, at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
