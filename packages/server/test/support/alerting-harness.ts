// Alerting under test: rules over an in-memory store, a clock the test moves, receivers on loopback that record
// what they get (and fail when told to), and a logger whose lines the test can read.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryQuerier } from '@vigil/promql';
import { createLogger, type Logger } from '@vigil/sdk';
import { createMetrics, type Metrics } from '@vigil/sdk/metrics';
import type { Label } from '@vigil/tsdb';
import { type Alerting, type AlertingOptions, createAlerting } from '../../src/alerting/index.js';
import { promqlEngine } from '../../src/api/query-engine.js';
import { parseConfig } from '../../src/config/index.js';
import type { VigilConfig } from '../../src/config/types.js';
import type { SampleSink } from '../../src/scrape/target.js';

/** A SampleSink writing into a MemoryQuerier, so rule output can be queried back. */
export function memorySink(
  store: MemoryQuerier,
): SampleSink & { appended: { labels: readonly Label[]; t: number; v: number }[] } {
  const series: (readonly Label[])[] = [];
  const keys = new Map<string, number>();
  const appended: { labels: readonly Label[]; t: number; v: number }[] = [];
  return {
    appended,
    ref(labels) {
      const key = JSON.stringify(labels);
      let ref = keys.get(key);
      if (ref === undefined) {
        ref = series.push(labels) - 1;
        keys.set(key, ref);
      }
      return ref;
    },
    append(ref, t, v) {
      const labels = series[ref]!;
      appended.push({ labels, t, v });
      store.add(labels, t, v);
      return 'ok';
    },
    setMetadata() {},
  };
}

/** A logger whose JSON lines land in `lines`. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'vigil',
    env: { VIGIL_LOG: 'debug' },
    destination: { write: (text: string) => void lines.push(JSON.parse(text) as Record<string, unknown>) },
  });
  return { logger, lines };
}

/** A loopback HTTP server recording JSON bodies; answers `statuses` in turn (then 200). */
export async function receiver(
  statuses: number[] = [],
): Promise<{ url: string; bodies: unknown[]; paths: string[]; close(): Promise<void>; server: Server }> {
  const bodies: unknown[] = [];
  const paths: string[] = [];
  const queue = [...statuses];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      const status = queue.shift() ?? 200;
      if (status === 200) {
        bodies.push(JSON.parse(text));
        paths.push(req.url ?? '');
      }
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    bodies,
    paths,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A clock the test sets. */
export function testClock(start = Date.UTC(2026, 10, 23, 12, 0, 0)): {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
} {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Writes `files` (name → text) into a new temp dir; returns the dir. */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-alerting-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Everything an alerting test needs, wired together. */
export interface AlertingHarness {
  alerting: Alerting;
  store: MemoryQuerier;
  sink: ReturnType<typeof memorySink>;
  clock: ReturnType<typeof testClock>;
  lines: Record<string, unknown>[];
  metrics: Metrics;
  config: VigilConfig;
  dir: string;
  /** The value of a metric series in the registry (0 when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

/** Builds alerting over `vigil.yaml` text (rule files named in it are written from `files` into the same dir). */
export function alertingHarness(
  yaml: string,
  files: Record<string, string> = {},
  extra: Partial<AlertingOptions> = {},
): AlertingHarness {
  const dir = tempFiles({ ...files, 'vigil.yaml': yaml });
  const config = parseConfig(yaml, join(dir, 'vigil.yaml'), {}, dir);
  const store = new MemoryQuerier();
  const sink = memorySink(store);
  const clock = testClock();
  const { logger, lines } = capturingLogger();
  const metrics = createMetrics({ defaultMetrics: false, logger });
  const alerting = createAlerting({
    config,
    engine: promqlEngine(() => store),
    querier: () => store,
    sink,
    logger,
    metrics,
    now: clock.now,
    silencesFile: false,
    ...extra,
  });
  return {
    alerting,
    store,
    sink,
    clock,
    lines,
    metrics,
    config,
    dir,
    async metric(name, labels = {}) {
      const metric = metrics.registry.getSingleMetric(name);
      if (!metric) return 0;
      const values = (await metric.get()).values;
      const found = values.find((v) => Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val));
      return found?.value ?? 0;
    },
  };
}
