import type { FastifyInstance } from 'fastify';

/** `GET /healthz` and `GET /readyz`, minimal until the SDK's probes (with draining) replace them. */
export async function probeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ status: 'alive' }));
  app.get('/readyz', async () => ({ status: 'ready' }));
}
