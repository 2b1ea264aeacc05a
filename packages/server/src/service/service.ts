import { serveDashboard } from '@vigil/dashboard';
import type { Querier } from '@vigil/promql';
import type { Logger } from '@vigil/sdk';
import { correlation, fastifyMetrics, probes } from '@vigil/sdk/fastify';
import { type AdminAuth, createHealth, type Health, probeRoutes } from '@vigil/sdk/health';
import { createMetrics, type Metrics } from '@vigil/sdk/metrics';
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { type ExportSource, exportRoute } from '../api/export-route.js';
import { prometheusApi } from '../api/prometheus-api.js';
import type { QueryEngine } from '../api/query-engine.js';
import type { DroppedTarget } from '../api/targets.js';
import { dashboardApi } from '../dashboard-api/index.js';
import { type IngestHealth, type IngestStore, ingestRoutes } from '../ingest/index.js';
import { recordQueryRoutes } from '../records/index.js';
import { remoteWriteReceiver } from '../remote-write/index.js';
import { ScrapeManager } from '../scrape/scrape-manager.js';
import type { SampleSink, ScrapeTarget } from '../scrape/target.js';
import type { UpstreamPrometheus } from '../upstream/upstream-prometheus.js';
import { ScrapeMetrics } from './service-metrics.js';

/** The version the service reports (/health, /api/v1/status/buildinfo). */
export const VERSION = '0.1.0';

/** Where samples go and queries read: the embedded TSDB by default. */
export interface ServiceStorage extends SampleSink {
  querier(): Querier;
  /** The stored samples as OpenMetrics text pieces (GET /api/vigil/export). */
  exportOpenMetrics?: ExportSource;
  close(): Promise<void> | void;
}

/** The targets to scrape, as discovery and relabeling make them; tells when they change. */
export interface TargetSource {
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
  current(): { targets: ScrapeTarget[]; dropped: DroppedTarget[] };
  onChange(listener: () => void): void;
}

/** Everything the service is made of; `serve` builds these from the configuration. */
export interface ServiceParts {
  logger: Logger;
  storage: ServiceStorage;
  targets: TargetSource;
  engine: QueryEngine;
  auth: AdminAuth;
  health?: Health;
  metrics?: Metrics;
  now?: () => number;
  /** The record store (logs, spans, invocations, audit): ingest and its queries are served when given. */
  records?: { store: IngestStore; health: IngestHealth };
  /** Answers the query API's data routes instead of the storage (`vigil.upstream_prometheus`). */
  upstream?: UpstreamPrometheus;
  /** More routes (alerting, ...) served behind the same admin auth as the API. */
  routes?: FastifyPluginAsync[];
  /** Runs before each /metrics exposition (to refresh gauges read from elsewhere, such as TSDB stats). */
  beforeMetrics?: () => void;
  /** Seeds the scrape offsets: two services given different seeds spread the same targets differently. */
  seed?: string;
}

/** A built service: the HTTP app (not yet listening) and the scrape loops behind it. */
export interface Service {
  app: FastifyInstance;
  health: Health;
  manager: ScrapeManager;
  /** Starts discovery and scraping. */
  start(): Promise<void>;
  /** Stops scraping (series marked stale), then the app, then the storage. */
  stop(): Promise<void>;
}

/**
 * Builds the `vigil` service: the SDK's probes, metrics and admin auth; the Prometheus API
 * under /api/v1, OTLP and record ingest (/v1/*, /api/vigil/ingest/*) and record queries
 * (/api/vigil/...) — all admin-only when an admin credential is configured, open otherwise, as
 * Prometheus is; the dashboard at /; and one scrape loop per discovered target, appending to
 * the storage.
 */
export async function buildService(parts: ServiceParts): Promise<Service> {
  const { logger, storage, targets, engine, auth } = parts;
  const log = logger.module('scrape');
  const metrics = parts.metrics ?? createMetrics({ logger });
  const health =
    parts.health ?? createHealth({ service: 'vigil', version: VERSION, ...(parts.now ? { now: parts.now } : {}) });
  const scrapeMetrics = new ScrapeMetrics(metrics);
  const manager = new ScrapeManager(storage, {
    ...(parts.now ? { now: parts.now } : {}),
    ...(parts.seed === undefined ? {} : { seed: parts.seed }),
    onScrape: (target, outcome) => {
      scrapeMetrics.observe(target, outcome);
      if (!outcome.up) log.debug({ job: target.job, url: target.url, error: outcome.error }, 'scrape failed');
    },
  });

  const app = Fastify({ logger: false, bodyLimit: 1 << 20 });
  await app.register(correlation, { logger, fields: () => ({ channel: 'api' }) });
  await app.register(fastifyMetrics, { metrics });
  const beforeMetrics = parts.beforeMetrics;
  if (beforeMetrics) {
    app.addHook('onRequest', async (req) => {
      if (req.url === '/metrics' || req.url.startsWith('/metrics?')) beforeMetrics();
    });
  }
  await app.register(probes, { handle: probeRoutes({ health, auth, metrics }) });
  await app.register(async (api) => {
    if (auth.configured) {
      api.addHook('onRequest', async (req, reply) => {
        if (!(await auth.authorize(req.headers.authorization))) {
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer realm="vigil"')
            .send({ status: 'error', errorType: 'unauthorized', error: 'unauthorized' });
        }
      });
    }
    await prometheusApi(api, {
      querier: () => storage.querier(),
      engine,
      targets: () => ({ active: manager.active, dropped: targets.current().dropped }),
      version: VERSION,
      ...(parts.now ? { now: parts.now } : {}),
      ...(parts.upstream ? { upstream: parts.upstream } : {}),
    });
    for (const plugin of parts.routes ?? []) await api.register(plugin);
    if (storage.exportOpenMetrics) {
      await exportRoute(api, { source: storage.exportOpenMetrics, selector: engine.selector });
    }
    if (parts.records) {
      const { store, health: ingestHealth } = parts.records;
      await api.register(ingestRoutes, { store, samples: storage, logger, health: ingestHealth });
      await api.register(recordQueryRoutes, { store, ...(parts.now ? { now: parts.now } : {}) });
    }
    await api.register(remoteWriteReceiver, { sink: storage, logger, metrics });
    await api.register(dashboardApi, {
      active: () => manager.active,
      ...(parts.records ? { audit: parts.records.store.audit } : {}),
    });
  });

  // The dashboard at `/`: its files are public (its login page asks for the admin token, which every API call then carries).
  const dashboard = async (req: FastifyRequest, reply: FastifyReply) => {
    const answer = serveDashboard(req.url, req.headers['accept-encoding']);
    if (answer === undefined) return reply.callNotFound();
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  };
  app.get('/', dashboard);
  app.get('/*', dashboard);

  let syncing = Promise.resolve();
  const sync = () => {
    syncing = syncing
      .then(() => manager.sync(targets.current().targets))
      .catch((error: unknown) => log.error({ err: error }, 'could not apply the new target list'));
    return syncing;
  };
  targets.onChange(() => void sync());

  return {
    app,
    health,
    manager,
    async start() {
      await targets.start();
      await sync();
    },
    async stop() {
      await targets.stop();
      await syncing;
      await manager.stop();
      await app.close();
      await storage.close();
    },
  };
}
