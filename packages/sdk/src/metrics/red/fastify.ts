import type { FastifyPluginCallback } from 'fastify';
import { pathOf } from '../../http/correlation.js';
import { type HttpMetricsOptions, RequestMeter } from './core.js';

/** Options of the Fastify HTTP metrics plugin. */
export type FastifyHttpMetricsOptions = HttpMetricsOptions;

/**
 * HTTP RED metrics for Fastify: `app.register(fastifyMetrics, options)`. Registered without
 * encapsulation, so it measures every route of the app; the route is
 * `request.routeOptions.url` (`/items/:id`), `__unmatched__` for Fastify's 404.
 */
export const fastifyMetrics: FastifyPluginCallback<FastifyHttpMetricsOptions> = (app, options, done) => {
  const meter = new RequestMeter(options);
  app.addHook('onRequest', (req, reply, next) => {
    // The raw response's 'close' also fires when the client leaves, which onResponse does not.
    if (!meter.excludes(pathOf(req.url))) meter.track(reply.raw, req.method, () => req.routeOptions.url);
    next();
  });
  done();
};

// What fastify-plugin does: skip encapsulation so the hook applies to the whole app.
Object.assign(fastifyMetrics, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'vigil-http-metrics',
});
