import type { AdminAuth } from '@vigil/sdk/health';
import { unauthorized } from '@vigil/sdk/health';
import type { FastifyInstance } from 'fastify';
import type { SessionStore } from '../sessions/store.js';

/** `GET /admin/sessions`: every in-memory session with its counters; admin auth required. */
export async function adminRoute(
  app: FastifyInstance,
  options: { sessions: SessionStore; auth: AdminAuth },
): Promise<void> {
  app.addHook('onRequest', async (req, reply) => {
    if (await options.auth.authorize(req.headers.authorization)) return;
    const refused = unauthorized();
    return reply.code(refused.status).headers(refused.headers).send(refused.body);
  });
  app.get('/admin/sessions', async () => {
    const sessions = options.sessions.list();
    return { count: sessions.length, sessions };
  });
}
