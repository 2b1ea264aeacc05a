import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '@vigil/sdk';
import type { Metrics } from '@vigil/sdk/metrics';
import type { Label } from '@vigil/tsdb';
import type { RemoteWriteConfig } from '../config/types.js';
import type { SampleSink } from '../scrape/target.js';
import { RemoteQueue } from './remote-queue.js';
import { type RemoteWriteMetrics, remoteWriteMetrics } from './remote-write-metrics.js';
import type { WireMetadata } from './wire.js';

/** The directory under the data directory that holds each remote's disk queue. */
export const REMOTE_WRITE_DIR = 'remote-write';

/** Default bound of one remote's disk queue: 1 GiB. */
export const DEFAULT_MAX_DISK_BYTES = 1024 * 1024 * 1024;

/** What `createRemoteWrite` needs. */
export interface RemoteWriteOptions {
  configs: readonly RemoteWriteConfig[];
  /** The data directory; disk queues go under `<dataDir>/remote-write/<remote>/`. */
  dataDir: string;
  logger: Logger;
  metrics: Metrics;
  /** global.external_labels, added to every series before write_relabel_configs (as Prometheus does). */
  externalLabels?: Record<string, string>;
  /** Bytes one remote's disk queue may hold; beyond it new samples are dropped, counted and logged. */
  maxDiskBytes?: number;
  /** The clock of check() (default Date.now). */
  now?: () => number;
  /** How long stop() and reload() keep sending before they write what is left to disk (default 5 s). */
  flushTimeoutMs?: number;
}

/** The remote write sender: a tee for the storage sink, started and stopped with the service. */
export interface RemoteWrite {
  /** A sink that appends to `inner` and queues every sample `inner` accepted for each remote. */
  sink(inner: SampleSink): SampleSink;
  /** For /health: degraded while a remote is sent from its disk queue, or lost samples in the last 15 minutes. */
  check(): { status: 'ok' | 'degraded'; detail: string };
  /** Starts the queues (and sends what a previous run left on disk). */
  start(): void;
  /** Flushes what it can within the flush timeout; the rest stays on disk for the next start. */
  stop(): Promise<void>;
  /**
   * Applies a new remote_write list (and global.external_labels, when given): unchanged remotes keep
   * their queue, removed ones stop (what they hold goes to disk), new and changed ones start.
   */
  reload(configs: readonly RemoteWriteConfig[], externalLabels?: Record<string, string>): Promise<void>;
}

/** Creates the remote write sender; credential and TLS files are read now (VIGIL_BAD_CONFIG when missing). */
export function createRemoteWrite(options: RemoteWriteOptions): RemoteWrite {
  const log = options.logger.module('remote-write');
  const metrics: RemoteWriteMetrics = remoteWriteMetrics(options.metrics);
  let externalLabels = sortedLabels(options.externalLabels ?? {});
  const flushTimeoutMs = options.flushTimeoutMs ?? 5000;
  const now = options.now ?? Date.now;
  const labelsByRef = new Map<number, readonly Label[]>();
  const metadataByMetric = new Map<string, WireMetadata>();
  let queues = new Map<string, RemoteQueue>();
  let list: RemoteQueue[] = [];
  let started = false;
  let holding: number[] | undefined;

  const open = (config: RemoteWriteConfig): RemoteQueue => {
    const name = remoteName(config);
    return new RemoteQueue(config, {
      name,
      dir: join(options.dataDir, REMOTE_WRITE_DIR, directoryOf(config)),
      maxDiskBytes: options.maxDiskBytes ?? DEFAULT_MAX_DISK_BYTES,
      externalLabels,
      labelsOf: (ref) => labelsByRef.get(ref),
      log,
      metrics,
      now,
      metadata: () => [...metadataByMetric.values()],
    });
  };
  // A queue is kept across a reload only when its config and the external labels are unchanged.
  const keyed = (configs: readonly RemoteWriteConfig[]) =>
    new Map(configs.map((c) => [`${configKey(c)}\u0000${JSON.stringify(externalLabels)}`, c]));
  for (const [key, config] of keyed(options.configs)) queues.set(key, open(config));
  list = [...queues.values()];

  return {
    sink(inner) {
      return {
        ref(labels) {
          const ref = inner.ref(labels);
          if (!labelsByRef.has(ref)) labelsByRef.set(ref, labels.slice());
          return ref;
        },
        append(ref, t, v) {
          const result = inner.append(ref, t, v);
          if (result !== 'ok') return result;
          for (const queue of list) queue.append(ref, t, v);
          if (holding) holding.push(ref, t, v);
          return result;
        },
        setMetadata(metric, info) {
          inner.setMetadata(metric, info);
          const type = info.type === 'untyped' ? 'unknown' : info.type;
          metadataByMetric.set(metric, { metric, type, help: info.help, unit: info.unit });
        },
      };
    },
    check() {
      const behind = list.filter((q) => q.state.spilling).map((q) => q.name);
      const lost = list
        .filter((q) => q.state.lastLossAt > 0 && now() - q.state.lastLossAt < 15 * 60_000)
        .map((q) => q.name);
      if (lost.length > 0) {
        return {
          status: 'degraded',
          detail: `samples lost in the last 15 minutes (refused or disk queue full) for ${lost.join(', ')}; see the log`,
        };
      }
      if (behind.length > 0) return { status: 'degraded', detail: `sending from the disk queue: ${behind.join(', ')}` };
      return { status: 'ok', detail: list.length === 0 ? 'no remote_write configured' : `${list.length} remote(s)` };
    },
    start() {
      if (started) return;
      started = true;
      for (const queue of list) queue.start();
    },
    async stop() {
      if (!started) return;
      started = false;
      const stopping = list;
      list = [];
      await Promise.all(stopping.map((queue) => queue.stop(flushTimeoutMs)));
    },
    async reload(configs, external) {
      if (external) externalLabels = sortedLabels(external);
      // A changed remote keeps its directory: the old queue writes what it holds there before the
      // new one reads it. Samples appended meanwhile are held and given to the new queues.
      const wanted = keyed(configs);
      const removed = [...queues].filter(([key]) => !wanted.has(key)).map(([, queue]) => queue);
      const kept = new Map([...queues].filter(([key]) => wanted.has(key)));
      const held: number[] = [];
      holding = held;
      list = [...kept.values()];
      try {
        await Promise.all(removed.map((queue) => queue.stop(flushTimeoutMs)));
        queues = kept;
        const next = new Map<string, RemoteQueue>();
        for (const [key, config] of wanted) {
          let queue = kept.get(key);
          if (!queue) {
            queue = open(config);
            if (started) queue.start();
            for (let i = 0; i < held.length; i += 3) queue.append(held[i]!, held[i + 1]!, held[i + 2]!);
          }
          next.set(key, queue);
          queues.set(key, queue);
        }
        queues = next;
      } finally {
        holding = undefined;
        list = [...queues.values()];
      }
    },
  };
}

function sortedLabels(labels: Record<string, string>): Label[] {
  return Object.entries(labels)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The `remote` label of a queue's metrics: its name, else the URL's host and path. */
export function remoteName(config: RemoteWriteConfig): string {
  if (config.name) return config.name;
  const url = new URL(config.url);
  return `${url.host}${url.pathname}`;
}

// A remote's queue directory is named after its URL (and name), so a restart with the same
// config finds what the last run left, and a different remote never sends another's samples.
function directoryOf(config: RemoteWriteConfig): string {
  const hash = createHash('sha256')
    .update(`${config.name ?? ''}\u0000${config.url}`)
    .digest('hex')
    .slice(0, 16);
  return `${(config.name ?? new URL(config.url).host).replace(/[^\w.-]+/g, '_')}-${hash}`;
}

function configKey(config: RemoteWriteConfig): string {
  const { origin: _origin, ...rest } = config;
  return JSON.stringify(rest);
}
