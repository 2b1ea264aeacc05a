import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, type Logger } from '@vigil/sdk';
import { AdminAuth, createShutdown } from '@vigil/sdk/health';
import { createMetrics } from '@vigil/sdk/metrics';
import { openPostgresStore, type PostgresStore } from '@vigil/store/postgres';
import { DATABASE_FILE, openSqliteStore, type SqliteStore } from '@vigil/store/sqlite';
import { Tsdb } from '@vigil/tsdb';
import { createAlerting } from '../alerting/index.js';
import { promqlEngine } from '../api/query-engine.js';
import { loadConfig } from '../config/index.js';
import type { VigilConfig } from '../config/types.js';
import { TargetDiscovery } from '../discovery/index.js';
import { ServerError } from '../errors.js';
import { IngestHealth } from '../ingest/index.js';
import { startRetention } from '../records/index.js';
import { createRemoteWrite } from '../remote-write/index.js';
import { UpstreamPrometheus } from '../upstream/upstream-prometheus.js';
import { type DataDirLock, lockDataDir } from './data-dir-lock.js';
import { buildService, type Service, type ServiceStorage } from './service.js';
import { discoveryTargets } from './target-source.js';
import { tsdbMetrics, tsdbStorage } from './tsdb-storage.js';

/** The TSDB file inside the data directory. */
export const TSDB_FILE = 'tsdb.db';

/** A started service, for `vigil serve` and for tests that run it in-process. */
export interface RunningService {
  service: Service;
  config: VigilConfig;
  /** `http://host:port` it listens on. */
  url: string;
  /** Re-reads the configuration (as on SIGHUP): new jobs start, removed ones stop, changed ones restart. */
  reload(): Promise<void>;
  /** Stops scraping, the HTTP server and the store, and releases the data directory. */
  stop(): Promise<void>;
}

/** What `startService` reads besides the environment. */
export interface StartOptions {
  env: Record<string, string | undefined>;
  /** The config file (default VIGIL_CONFIG). */
  configPath?: string;
  logger?: Logger;
}

/**
 * Starts the `vigil` service: reads the configuration, takes the data directory, opens the
 * TSDB, builds the app, listens, then starts discovery and scraping. Throws ServerError
 * (VIGIL_BAD_CONFIG, VIGIL_CONFIG_UNSUPPORTED, VIGIL_DATA_DIR_LOCKED) or TsdbError before
 * anything listens.
 */
export async function startService(options: StartOptions): Promise<RunningService> {
  const { env } = options;
  const configPath = options.configPath;
  const config = await loadConfig({ env, ...(configPath === undefined ? {} : { path: configPath }) });
  const logger = options.logger ?? createLogger({ service: 'vigil', env });
  const settings = config.vigil;
  const lock: DataDirLock = lockDataDir(settings.dataDir, 'vigil serve');
  let db: Tsdb;
  try {
    db = Tsdb.open({
      path: join(settings.dataDir, TSDB_FILE),
      flushIntervalMs: settings.flushInterval,
      retentionMs: settings.retention.time,
      ...(settings.retention.size > 0 ? { retentionBytes: settings.retention.size } : {}),
      onError: (error) => logger.module('tsdb').error({ err: error }, 'TSDB background work failed'),
    });
  } catch (error) {
    lock.release();
    throw error;
  }
  let records: SqliteStore | PostgresStore;
  try {
    // Records in PostgreSQL when configured (several services, one database), else the data directory's SQLite file.
    records = settings.postgresUrl
      ? await openPostgresStore(settings.postgresUrl)
      : await openSqliteStore(join(settings.dataDir, DATABASE_FILE));
  } catch (error) {
    db.close();
    lock.release();
    throw error;
  }
  const ingestHealth = new IngestHealth();
  // Log lines and spans by vigil.retention.logs/spans; invocation rows and audit events are permanent.
  const stopRecordRetention = startRetention(
    records,
    { logs: settings.retention.logs, spans: settings.retention.spans },
    { onError: (error) => logger.module('records').error({ err: error }, 'record retention failed') },
  );
  const engine = promqlEngine(() => db);
  const metrics = createMetrics({ logger });
  // Every sample the TSDB accepts (scraped, rule results, OTLP, remote-write pushes) also goes to remote_write.
  const remoteWrite = createRemoteWrite({
    configs: config.remoteWrite,
    dataDir: settings.dataDir,
    logger,
    metrics,
    externalLabels: config.global.externalLabels,
  });
  const local = tsdbStorage(db);
  const storage: ServiceStorage = { ...local, ...remoteWrite.sink(local) };
  const reread = async () =>
    withShippedRules(await loadConfig({ env, ...(configPath === undefined ? {} : { path: configPath }) }));
  const upstream = settings.upstreamPrometheus
    ? new UpstreamPrometheus(settings.upstreamPrometheus, { token: env.VIGIL_UPSTREAM_TOKEN })
    : undefined;
  const alerting = createAlerting({
    ...(upstream ? { upstream } : {}),
    config: withShippedRules(config),
    engine,
    querier: () => db,
    sink: storage,
    logger,
    metrics,
    historyStore: records.alerts,
    loadConfig: reread,
  });
  const discovery = new TargetDiscovery(config);
  const log = logger.module('discovery');
  discovery.on('error', (error) => log.warning({ err: error }, error.message));
  const service = await buildService({
    logger,
    storage,
    targets: discoveryTargets(discovery, (error) => log.warning({ err: error }, error.message)),
    engine,
    auth: new AdminAuth({ tokens: settings.adminTokens, env, logger }),
    metrics,
    beforeMetrics: tsdbMetrics(metrics, db),
    records: { store: records, health: ingestHealth },
    routes: [alerting.routes],
    ...(upstream ? { upstream } : {}),
  });
  service.health.check('alerting', () => alerting.check(), { kind: 'module' });
  service.health.check('remote-write', () => remoteWrite.check(), { kind: 'module' });
  registerChecks(service, db);
  service.health.check('record-store', () => ingestHealth.check(records), {
    kind: 'database',
    critical: true,
    readiness: true,
  });
  const closeRecords = async () => {
    stopRecordRetention();
    await records.close();
  };
  try {
    await service.app.listen({ port: settings.port, host: settings.listenAddress });
  } catch (error) {
    await service.app.close();
    db.close();
    await closeRecords();
    lock.release();
    throw listenProblem(error, settings.port, settings.listenAddress);
  }
  const address = service.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.port;
  const host =
    settings.listenAddress === '0.0.0.0' || settings.listenAddress === '::' ? 'localhost' : settings.listenAddress;
  await service.start();
  remoteWrite.start();
  try {
    await alerting.start();
  } catch (error) {
    await service.stop();
    await closeRecords();
    lock.release();
    throw error;
  }
  let current = config;
  return {
    service,
    get config() {
      return current;
    },
    url: `http://${host}:${port}`,
    async reload() {
      const next = await reread();
      await discovery.reload(next);
      await alerting.reload(next);
      await remoteWrite.reload(next.remoteWrite, next.global.externalLabels);
      current = next;
    },
    async stop() {
      try {
        await alerting.stop();
        await service.stop();
        // After the scrapes' staleness markers, so they are sent too; what cannot be sent waits on disk.
        await remoteWrite.stop();
        await closeRecords();
      } finally {
        lock.release();
      }
    },
  };
}

/**
 * `vigil serve`: starts the service and installs graceful shutdown (SIGTERM/SIGINT: readiness
 * fails, in-flight requests finish, scrapes stop with staleness markers, the TSDB flushes) and
 * SIGHUP reload. Resolves once listening.
 */
export async function serve(options: StartOptions): Promise<RunningService> {
  const logger = options.logger ?? createLogger({ service: 'vigil', env: options.env });
  const running = await startService({ ...options, logger });
  const { service } = running;
  logger.event(
    'system.startup',
    { url: running.url, data_dir: running.config.vigil.dataDir, jobs: running.config.scrapeConfigs.length },
    `vigil on ${running.url}`,
  );
  if (
    running.config.vigil.adminTokens.length === 0 &&
    !options.env.VIGIL_ADMIN_JWT_SECRET &&
    !options.env.VIGIL_ADMIN_JWKS_URL
  ) {
    logger.warning('no admin token is set (VIGIL_ADMIN_TOKEN): the query API is open to anyone who can reach the port');
  }
  const shutdown = createShutdown({ health: service.health, logger, graceMs: 10_000 })
    .addServer(service.app.server)
    .onClose('vigil', () => running.stop())
    .install();
  process.on('SIGHUP', () => {
    running.reload().then(
      () => logger.info('configuration reloaded'),
      (error: unknown) => logger.error({ err: error }, `configuration not reloaded: ${(error as Error).message}`),
    );
  });
  void shutdown;
  return running;
}

/** The rule files shipped in deploy/prometheus/rules, when this is a checkout that has them. */
const SHIPPED_RULES = fileURLToPath(new URL('../../../../../deploy/prometheus/rules/', import.meta.url));

/** The configuration with the shipped rule files when it names none (`rule_files` decides otherwise). */
function withShippedRules(config: VigilConfig): VigilConfig {
  if (config.ruleFiles.length > 0 || !existsSync(SHIPPED_RULES)) return config;
  return { ...config, ruleFiles: [join(SHIPPED_RULES, '*.rules.yml')] };
}

function listenProblem(error: unknown, port: number, host: string): ServerError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EADDRINUSE'
      ? `port ${port} is already in use on ${host}: stop what uses it or set VIGIL_PORT`
      : code === 'EACCES'
        ? `no permission to listen on port ${port}: use a port above 1023 (VIGIL_PORT)`
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
          ? `${host} is not an address of this machine (vigil.listen_address)`
          : `cannot listen on ${host}:${port}: ${(error as Error).message}`;
  return new ServerError('VIGIL_LISTEN', why, { cause: error });
}

// /health components: the TSDB (critical: without it nothing is stored) and the scrape targets.
function registerChecks(service: Service, db: Tsdb): void {
  let errorsSeen = db.stats().errors;
  service.health.check(
    'tsdb',
    () => {
      const stats = db.stats();
      const failing = stats.errors > errorsSeen;
      errorsSeen = stats.errors;
      return failing
        ? { status: 'down', detail: 'a background flush or retention run failed since the last check (see the log)' }
        : { status: 'ok', detail: `${stats.series} series, ${stats.bytesOnDisk} bytes on disk` };
    },
    { kind: 'database', critical: true, readiness: true },
  );
  service.health.check(
    'scrape',
    () => {
      const loops = service.manager.active;
      const down = loops.filter((loop) => loop.health.health === 'down').length;
      const detail = `${loops.length - down} of ${loops.length} targets up`;
      return { status: down > 0 ? 'degraded' : 'ok', detail };
    },
    { kind: 'module' },
  );
}
