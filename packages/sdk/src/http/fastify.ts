import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import { type ContextFields, context } from '../context/context.js';
import { PROBE_PATHS, type ProbeRequest, type ProbeResponse } from '../health/routes.js';
import {
  type CorrelationOptions,
  logRequest,
  middlewareLogger,
  pathOf,
  readCorrelation,
  runCorrelated,
} from './correlation.js';

/** Options of the Fastify correlation plugin. */
export interface FastifyCorrelationOptions extends CorrelationOptions {
  /** Extra context fields for a request, such as `user_id` or `channel`. */
  fields?: (req: FastifyRequest) => ContextFields | undefined;
}

const IN_SCOPE = Symbol('vigil.inScope');
type ScopedRequest = FastifyRequest & { [IN_SCOPE]?: (fn: () => void) => void };

/**
 * Correlation for Fastify: `app.register(correlation, options)`. Registered without
 * encapsulation, so it covers every route of the app.
 */
export const correlation: FastifyPluginCallback<FastifyCorrelationOptions> = (app, options, done) => {
  const logger = middlewareLogger(options);
  app.addHook('onRequest', (req, reply, next) => {
    const found = readCorrelation((name) => req.headers[name], options);
    void reply.header(found.header, found.requestId);
    runCorrelated(found, options.fields?.(req), logger, () => {
      (req as ScopedRequest)[IN_SCOPE] = context.bind((fn: () => void) => fn());
      next();
    });
  });
  if (options.logRequests !== false) {
    // onResponse runs from the socket's 'finish', outside the request's context: re-enter it.
    app.addHook('onResponse', (req, reply, next) => {
      const inScope = (req as ScopedRequest)[IN_SCOPE] ?? ((fn: () => void) => fn());
      inScope(() =>
        logRequest(logger, {
          method: req.method,
          path: pathOf(req.url),
          route: req.routeOptions.url,
          status: reply.statusCode,
          durationMs: reply.elapsedTime,
        }),
      );
      next();
    });
  }
  done();
};

// What fastify-plugin does: skip encapsulation so the hooks apply to the whole app.
Object.assign(correlation, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'vigil-correlation',
});

/** Options of the Fastify probes plugin. */
export interface FastifyProbeOptions {
  /** The probe routes, from `probeRoutes()` in `@vigil/sdk/health`. */
  handle: (req: ProbeRequest) => Promise<ProbeResponse | undefined>;
}

/** Serves `/healthz`, `/readyz`, `/health` and `/metrics` on a Fastify app: `app.register(probes, { handle })`. */
export const probes: FastifyPluginCallback<FastifyProbeOptions> = (app, options, done) => {
  for (const path of PROBE_PATHS) {
    app.get(path, async (req, reply) => {
      const response = await options.handle({ method: req.method, path, headers: req.headers });
      if (response === undefined) return reply.callNotFound();
      return reply.code(response.status).headers(response.headers).send(response.body);
    });
  }
  done();
};
Object.assign(probes, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'vigil-probes' });

export { type FastifyHttpMetricsOptions, fastifyMetrics } from '../metrics/red/fastify.js';
