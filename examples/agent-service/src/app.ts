import { createLogger, type Logger } from '@vigil/sdk';
import { correlation, fastifyMetrics, probes } from '@vigil/sdk/fastify';
import { AdminAuth, createHealth, type Health, probeRoutes, TurnPool } from '@vigil/sdk/health';
import { createMetrics, type Metrics } from '@vigil/sdk/metrics';
import type { InvocationSink, Recorder } from '@vigil/sdk/recording';
import { SessionRegistry, SessionStream } from '@vigil/sdk/sessions';
import Fastify, { type FastifyInstance } from 'fastify';
import { Agent } from './agent/agent.js';
import { adminRoute } from './http/admin-route.js';
import { registerErrorReplies } from './http/error-replies.js';
import { MAX_BODY_BYTES, messagesRoute } from './http/messages-route.js';
import { parseUserIdHeader } from './http/validation.js';
import { LlmClient, type RetrySettings } from './llm/client.js';
import { type ProviderSettings, SimulatedProvider } from './llm/provider.js';
import { type Random, realSleep, type Sleep } from './random.js';
import { APP_ID, createDemoRecorder, DEFAULT_DAILY_BUDGET_USD } from './recording.js';
import { SessionStore } from './sessions/store.js';
import type { Tool } from './tools/tool.js';
import { Toolbox } from './tools/toolbox.js';

/** Options of `buildApp`; everything random or timed is injectable so tests are deterministic. */
export interface AppOptions {
  /** The logger to use; default a new one named `agent-service` writing to `destination`. */
  logger?: Logger;
  /** Where the default logger writes lines (default stdout). */
  destination?: { write(line: string): void };
  /** Level filter of the default logger when `VIGIL_LOG` is not set, e.g. `info,llm=debug`. */
  logLevel?: string;
  /** Environment the default logger reads `VIGIL_LOG`/`VIGIL_LOG_FORMAT` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Uniform numbers in [0, 1) that drive every simulated decision. Default Math.random. */
  random?: Random;
  /** How simulated latency and retry backoff wait. Default a real timer. */
  sleep?: Sleep;
  /** Clock in epoch ms. Default Date.now. */
  now?: () => number;
  /** The simulated provider and the agent's retries of rate limits. */
  llm?: ProviderSettings & RetrySettings;
  /** The agent's tools (default search_docs, get_weather, calculator). */
  tools?: readonly Tool[];
  /** Most sessions kept in memory. Default 10 000. */
  maxSessions?: number;
  /** Prometheus metrics (default: a new registry with process metrics). */
  metrics?: Metrics;
  /** Health of the process (default: a new one with the LLM provider and tools as components). */
  health?: Health;
  /** Admin auth for /health and /admin/* (default: from VIGIL_ADMIN_TOKEN and friends in `env`). */
  auth?: AdminAuth;
  /** Turns that may run at once, and wait for a worker (default 16 and 64). */
  pool?: TurnPool;
  /**
   * Where invocation rows (one per provider call) go. Default: the SQLite file
   * `$VIGIL_DATA_DIR/vigil.db` when `VIGIL_DATA_DIR` is set in `env`, else nowhere.
   */
  sink?: InvocationSink;
  /** The daily LLM budget in USD (default 5); turns are refused with 429 once it is spent. */
  dailyBudgetUsd?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The demo's recorder; whoever runs the app closes it last, to flush the invocation rows. */
    recorder: Recorder;
    /** The `/admin/sessions/stream` clients; closing the app ends them, and so may a shutdown that starts earlier. */
    sessionStream: SessionStream;
  }
}

/** The demo's version, shown by /health. */
export const VERSION = '0.1.0';

/** Builds the demo agent's Fastify app, not yet listening. */
export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const logger = options.logger ?? defaultLogger(options);
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;

  const env = options.env ?? process.env;
  const metrics = options.metrics ?? createMetrics({ logger });
  const pool = options.pool ?? new TurnPool({ maxWorkers: 16, maxQueue: 64 });
  const auth = options.auth ?? new AdminAuth({ env, logger });
  const sessionMetrics = new SessionRegistry({
    appId: APP_ID,
    logger: logger.module('sessions'),
    ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const stream = new SessionStream({ registry: sessionMetrics, auth });
  const { recorder, budgets } = createDemoRecorder({
    logger,
    metrics,
    sessions: sessionMetrics,
    env,
    dailyBudgetUsd: options.dailyBudgetUsd ?? DEFAULT_DAILY_BUDGET_USD,
    ...(options.sink === undefined ? {} : { sink: options.sink }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const sessions = new SessionStore({
    logger,
    maxSessions: options.maxSessions,
    onEvicted: (id) => sessionMetrics.end(id),
  });
  const provider = new SimulatedProvider(options.llm ?? {}, random, sleep);
  const llm = new LlmClient({ ...options.llm, provider, logger, random, sleep, recorder });
  const toolbox = new Toolbox({ tools: options.tools, logger, random, sleep, now, recorder });
  const agent = new Agent({
    sessions,
    sessionMetrics,
    llm,
    toolbox,
    recorder,
    budgets,
    appId: APP_ID,
    logger,
    now,
  });
  const health = options.health ?? createHealth({ service: 'agent-service', version: VERSION, pool, now });
  // The simulated provider and tools are in-process, so they are always up; a real agent checks
  // its provider's status endpoint, its MCP servers and its database here.
  health.check('llm_provider', () => 'ok', { kind: 'dependency', critical: true });
  health.check('tools', () => (toolbox.tools.length > 0 ? 'ok' : 'down'), { kind: 'module' });

  // Fastify's own logger stays off: the SDK's plugin writes the request lines, with the context.
  const app = Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES, routerOptions: { maxParamLength: 1024 } });
  await app.register(correlation, {
    logger,
    fields: (req) => ({ channel: 'api', ...userOf(req.headers['x-user-id']) }),
  });
  await app.register(fastifyMetrics, { metrics });
  registerErrorReplies(app, logger);
  await app.register(probes, { handle: probeRoutes({ health, auth, metrics }) });
  await app.register(messagesRoute, { agent, pool });
  await app.register(adminRoute, { registry: sessionMetrics, stream, auth, logger });
  app.decorate('recorder', recorder);
  app.decorate('sessionStream', stream);
  // Open event streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => stream.close());
  app.addHook('onClose', async () => {
    sessionMetrics.close();
    health.close();
  });
  return app;
}

// Without this the SDK's default `system` would claim the service itself triggered the work.
// A bad header is answered by the route that reads it; here it only stays out of the context.
function userOf(header: string | string[] | undefined): { user_id: string } {
  try {
    return { user_id: parseUserIdHeader(header) ?? 'anonymous' };
  } catch {
    return { user_id: 'anonymous' };
  }
}

/** Info, and the recorder's debug lines (one per LLM and tool call), unless VIGIL_LOG or `logLevel` says otherwise. */
export const DEMO_LOG_LEVEL = 'info,recording=debug';

function defaultLogger(options: AppOptions): Logger {
  return createLogger({
    service: 'agent-service',
    ...(options.destination === undefined ? {} : { destination: options.destination }),
    // The SDK writes a successful LLM or tool call at debug; the demo shows every one of them.
    level: options.logLevel ?? DEMO_LOG_LEVEL,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}
