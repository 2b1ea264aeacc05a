import type { FastifyInstance } from 'fastify';
import type { SessionStore } from '../sessions/store.js';

/** `GET /admin/sessions`: every in-memory session with its counters. */
export async function adminRoute(app: FastifyInstance, options: { sessions: SessionStore }): Promise<void> {
  // Open for now: admin auth (Bearer VIGIL_ADMIN_TOKEN or a JWT, through the SDK) arrives with a
  // later issue. The list holds session ids, user ids and token counts, never message text, so
  // until then it shows nothing a caller of the demo could not already see.
  app.get('/admin/sessions', async () => {
    const sessions = options.sessions.list();
    return { count: sessions.length, sessions };
  });
}
