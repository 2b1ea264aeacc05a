import { context, getLogger, type Logger, newRequestId } from '@vigil/sdk';
import { correlatedFetch } from '@vigil/sdk/fetch';
import { pick, type Random } from '../random.js';
import { USER_MESSAGES } from './messages.js';

/** Options of `startLoad`. */
export interface LoadOptions {
  /** Base URL of the agent, e.g. `http://127.0.0.1:8000`. */
  target: string;
  /** Requests started per second, 0.1 to 50. Default 2. */
  ratePerSecond?: number;
  /** How many sessions the traffic is spread over, 1 to 100. Default 5. */
  sessions?: number;
  /** Stop after this many requests (default: run until `stop()`). */
  maxRequests?: number;
  /** Sent as each message's `delayMs`, to make the agent's simulated latency fixed. */
  delayMs?: number;
  /** Picks messages and users. Default Math.random. */
  random?: Random;
  /** Default: the SDK's logger. */
  logger?: Logger;
  /** Default: `fetch` with the SDK's X-Request-ID propagation. */
  fetch?: typeof globalThis.fetch;
}

/** What a load run has done so far. */
export interface LoadStats {
  sent: number;
  ok: number;
  failed: number;
  /** Ticks skipped because every session already had a request in flight. */
  skipped: number;
}

/** A running load: `stop()` ends it after the requests in flight finish. */
export interface Load {
  readonly stats: Readonly<LoadStats>;
  /** Resolves once stopped, or once `maxRequests` have all been answered. */
  readonly finished: Promise<LoadStats>;
  stop(): Promise<LoadStats>;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Sends realistic messages to a handful of sessions at a modest rate. At most one request per
 * session is in flight (the agent answers 409 to a second one), so a slow agent slows the load
 * instead of piling requests on it.
 */
export function startLoad(options: LoadOptions): Load {
  const settings = checkOptions(options);
  const log = (options.logger ?? getLogger()).module('load');
  const random = options.random ?? Math.random;
  const send = correlatedFetch(options.fetch ?? globalThis.fetch);
  const stats: LoadStats = { sent: 0, ok: 0, failed: 0, skipped: 0 };
  const busy = new Set<number>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let resolveFinished: (stats: LoadStats) => void = () => {};
  const finished = new Promise<LoadStats>((resolve) => {
    resolveFinished = resolve;
  });

  const finish = async () => {
    stopped = true;
    clearInterval(timer);
    await Promise.allSettled([...inFlight]);
    resolveFinished({ ...stats });
    return { ...stats };
  };

  const tick = () => {
    if (stopped) return;
    if (settings.maxRequests !== undefined && stats.sent >= settings.maxRequests) return;
    const idle = [...Array(settings.sessions).keys()].filter((index) => !busy.has(index));
    const [first, ...rest] = idle;
    if (first === undefined) {
      stats.skipped++;
      return;
    }
    const index = pick(random, [first, ...rest]);
    busy.add(index);
    stats.sent++;
    const request = context.run({ correlation_id: newRequestId(), channel: 'load' }, () =>
      sendOne(index).finally(() => {
        busy.delete(index);
        inFlight.delete(request);
        if (settings.maxRequests !== undefined && stats.ok + stats.failed >= settings.maxRequests) void finish();
      }),
    );
    inFlight.add(request);
  };

  const sendOne = async (index: number) => {
    const url = `${settings.target}/v1/sessions/demo-${index + 1}/messages`;
    const body = {
      text: pick(random, USER_MESSAGES),
      ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
    };
    try {
      const response = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': `user-${(index % 3) + 1}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (response.ok) {
        stats.ok++;
        log.debug({ status: response.status, session_id: `demo-${index + 1}` }, 'message answered');
      } else {
        stats.failed++;
        log.warning({ status: response.status, session_id: `demo-${index + 1}` }, 'message refused');
      }
    } catch (error) {
      stats.failed++;
      log.warning({ error: (error as Error).message, url }, 'message not delivered');
    }
  };

  const timer = setInterval(tick, 1000 / settings.ratePerSecond);
  tick();
  return { stats, finished, stop: finish };
}

function checkOptions(options: LoadOptions) {
  let target: URL;
  try {
    target = new URL(options.target);
  } catch {
    throw new Error(`target must be a URL like http://127.0.0.1:8000 (got "${options.target}")`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new Error(`target must be an http or https URL (got "${options.target}")`);
  }
  const ratePerSecond = options.ratePerSecond ?? 2;
  if (!(ratePerSecond >= 0.1 && ratePerSecond <= 50)) {
    throw new Error(`ratePerSecond must be from 0.1 to 50, a load that never floods (got ${ratePerSecond})`);
  }
  const sessions = options.sessions ?? 5;
  if (!Number.isInteger(sessions) || sessions < 1 || sessions > 100) {
    throw new Error(`sessions must be an integer from 1 to 100 (got ${sessions})`);
  }
  const { maxRequests } = options;
  if (maxRequests !== undefined && (!Number.isInteger(maxRequests) || maxRequests < 1)) {
    throw new Error(`maxRequests must be a positive integer (got ${maxRequests})`);
  }
  return { target: target.href.replace(/\/$/, ''), ratePerSecond, sessions, maxRequests };
}
