import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import { createLogger } from '@vigil/sdk';
import { createMetrics, type Metrics } from '@vigil/sdk/metrics';
import type { RemoteWriteConfig } from '../../src/config/types.js';
import {
  decodeWriteRequest,
  type RemoteWrite,
  type WireMetadata,
  type WireSeries,
} from '../../src/remote-write/index.js';

/** A logger that writes only critical lines: remote write tests provoke failures on purpose. */
export const quietLogger = () => createLogger({ service: 'vigil', env: { VIGIL_LOG: 'critical' } });

/** What a remote write test works with; set the peer and the remote as the test makes them. */
export interface RemoteWriteFixture {
  dataDir: string;
  metrics: Metrics;
  peer: RemoteWritePeer;
  remote: RemoteWrite | undefined;
}

/**
 * Before each test of the enclosing describe: a fresh data directory and metrics; after it, the
 * remote stopped, the peer closed and the directory removed.
 */
export function remoteWriteFixture(prefix: string): RemoteWriteFixture {
  const fixture = { remote: undefined } as RemoteWriteFixture;
  beforeEach(() => {
    fixture.dataDir = mkdtempSync(join(tmpdir(), prefix));
    fixture.metrics = createMetrics({ logger: quietLogger() });
  });
  afterEach(async () => {
    await fixture.remote?.stop();
    fixture.remote = undefined;
    await fixture.peer?.close();
    rmSync(fixture.dataDir, { recursive: true, force: true });
  });
  return fixture;
}

/** A RemoteWriteConfig for `url` with quick queues, as the config parser would give it. */
export function remoteConfig(url: string, queue: Partial<RemoteWriteConfig['queue']> = {}): RemoteWriteConfig {
  return {
    url,
    name: undefined,
    remoteTimeout: 5000,
    headers: {},
    writeRelabelConfigs: [],
    http: { followRedirects: true, tls: { insecureSkipVerify: false } },
    queue: {
      capacity: 10_000,
      maxShards: 4,
      minShards: 1,
      maxSamplesPerSend: 500,
      batchSendDeadline: 20,
      minBackoff: 10,
      maxBackoff: 100,
      ...queue,
    },
    metadata: { send: false, sendInterval: 60_000, maxSamplesPerSend: 2000 },
    origin: 'test',
  };
}

/** One request a RemoteWritePeer got. */
export interface ReceivedWrite {
  headers: IncomingMessage['headers'];
  series: WireSeries[];
  metadata: WireMetadata[];
  at: number;
}

/** Answers a request: a status and optional headers; undefined means 204. */
export type PeerBehaviour = (attempt: number) => { status: number; headers?: Record<string, string> } | undefined;

/** A remote write endpoint on loopback that records what it accepts and answers as `behaviour` says. */
export class RemoteWritePeer {
  readonly accepted: ReceivedWrite[] = [];
  readonly attempts: number[] = [];
  #server: Server | undefined;
  #behaviour: PeerBehaviour;

  constructor(behaviour: PeerBehaviour = () => undefined) {
    this.#behaviour = behaviour;
  }

  /** Listens on `port` (0: a free one) and answers its URL. */
  async listen(port = 0): Promise<string> {
    const server = createServer((request, response) => this.#handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.#server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Accepted samples of the series whose __name__ and `id` label are given, in arrival order. */
  samplesOf(name: string, id: string): { t: number; v: number }[] {
    return this.accepted.flatMap((write) =>
      write.series.filter((s) => labelOf(s, '__name__') === name && labelOf(s, 'id') === id).flatMap((s) => s.samples),
    );
  }

  /** Accepted samples in all. */
  get sampleCount(): number {
    return this.accepted.reduce((n, w) => n + w.series.reduce((m, s) => m + s.samples.length, 0), 0);
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.attempts.push(Date.now());
      const answer = this.#behaviour(this.attempts.length);
      if (answer) {
        response.writeHead(answer.status, answer.headers).end('no');
        return;
      }
      const { series, metadata } = decodeWriteRequest(Buffer.concat(chunks), 64 * 1024 * 1024);
      this.accepted.push({ headers: request.headers, series, metadata, at: Date.now() });
      response.writeHead(204).end();
    });
  }
}

function labelOf(series: WireSeries, name: string): string | undefined {
  return series.labels.find((l) => l.name === name)?.value;
}

/** Polls `check` every 20 ms until it is true; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The value of one series of a metric on `metrics`' registry (0 when absent). */
export async function metricValue(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const found = values.find((v) => Object.entries(labels).every(([k, value]) => String(v.labels[k]) === value));
  return found?.value ?? 0;
}
