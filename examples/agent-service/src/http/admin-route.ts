import type { Logger } from '@vigil/sdk';
import type { AdminAuth } from '@vigil/sdk/health';
import { SESSION_PATHS, type SessionRegistry, type SessionStream, sessionRoutes } from '@vigil/sdk/sessions';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Options of the admin routes. */
export interface AdminRouteOptions {
  registry: SessionRegistry;
  /** The live event stream; the app closes it before it closes, so open streams do not hold it. */
  stream: SessionStream;
  auth: AdminAuth;
  logger: Logger;
}

/**
 * The SDK's session routes, admin auth on every one: `GET /admin/sessions` (list),
 * `/admin/sessions/:id`, `/admin/sessions/rollup[/:app_id]`, and the Server-Sent Events of
 * `/admin/sessions/stream`.
 */
export async function adminRoute(app: FastifyInstance, options: AdminRouteOptions): Promise<void> {
  const { stream } = options;
  const log = options.logger.module('http');
  const routes = sessionRoutes(options);
  app.get(SESSION_PATHS.stream, (req, reply) => {
    // The stream writes to the socket itself, for as long as the client stays.
    reply.hijack();
    stream.handle(req.raw, reply.raw).catch((error: unknown) => {
      log.error({ err: error }, 'session stream failed');
      reply.raw.destroy();
    });
  });
  const serve = async (req: FastifyRequest, reply: FastifyReply) => {
    const [path = '/', query] = req.url.split('?', 2);
    const response = await routes({ method: req.method, path, headers: req.headers, query });
    if (response === undefined) return reply.callNotFound();
    return reply.code(response.status).headers(response.headers).send(response.body);
  };
  app.get(SESSION_PATHS.list, serve);
  app.get(`${SESSION_PATHS.list}/*`, serve);
}
