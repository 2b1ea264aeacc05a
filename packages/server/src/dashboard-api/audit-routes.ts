import { type AuditStore, StoreError } from '@vigil/store';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { BadParam, defined, QueryParams } from '../records/params.js';

/**
 * GET /api/vigil/audit (filters `since, until, event_type, actor_user_id, target_user_id,
 * target_app_id, success_only, limit, offset, order`) → `{records, total}`, and
 * GET /api/vigil/audit/verify → the chain check (`{ok, checked, lastHash, broken}`).
 */
export async function auditRoutes(app: FastifyInstance, options: { audit: AuditStore }): Promise<void> {
  const { audit } = options;
  app.get('/api/vigil/audit', async (req, reply) =>
    answer(reply, async () => {
      const p = new QueryParams(req.query);
      const filter = defined({
        since: p.time('since'),
        until: p.time('until'),
        event_type: p.list('event_type'),
        actor_user_id: p.text('actor_user_id', 256),
        target_user_id: p.text('target_user_id', 256),
        target_app_id: p.text('target_app_id', 256),
        success_only: p.oneOf('success_only', ['true', 'false'] as const) === 'true' ? true : undefined,
      });
      const records = await audit.query(
        defined({
          ...filter,
          limit: p.int('limit', 1, 10_000),
          offset: p.int('offset', 0, Number.MAX_SAFE_INTEGER),
          order: p.oneOf('order', ['asc', 'desc'] as const),
        }),
      );
      return { records, total: await audit.count(filter) };
    }),
  );
  app.get('/api/vigil/audit/verify', async (_req, reply) => answer(reply, () => audit.verify()));
}

async function answer(reply: FastifyReply, run: () => Promise<unknown>): Promise<FastifyReply> {
  try {
    return reply.header('cache-control', 'no-store').send(await run());
  } catch (err) {
    if (err instanceof BadParam) return reply.code(400).send({ error: err.message });
    if (err instanceof StoreError && err.code === 'VIGIL_STORE_BAD_QUERY') {
      return reply.code(400).send({ error: err.message, code: err.code });
    }
    if (err instanceof StoreError && (err.code === 'VIGIL_STORE_IO' || err.code === 'VIGIL_STORE_CLOSED')) {
      return reply.code(503).send({ error: `the record store is unavailable: ${err.message}` });
    }
    reply.request.log?.error?.({ err }, 'audit query failed');
    return reply.code(500).send({ error: 'internal error' });
  }
}
