import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openSqliteStore, type SqliteStore } from '@vigil/store/sqlite';
import Fastify, { type FastifyInstance } from 'fastify';
import { IngestHealth } from '../../src/ingest/health.js';
import { type IngestOptions, ingestRoutes } from '../../src/ingest/ingest-routes.js';
import { recordQueryRoutes } from '../../src/records/record-query-routes.js';
import { RecordingSink } from './recording-sink.js';

/** A running ingest app on loopback over a real SQLite store in a temp dir. */
export interface IngestApp {
  app: FastifyInstance;
  store: SqliteStore;
  sink: RecordingSink;
  health: IngestHealth;
  /** `http://127.0.0.1:<port>` */
  base: string;
  dir: string;
  close(): Promise<void>;
}

/** Starts Fastify with the ingest and query routes on 127.0.0.1 (a random port) over a fresh store. */
export async function startIngestApp(options: Partial<Omit<IngestOptions, 'store'>> = {}): Promise<IngestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ingest-'));
  const store = await openSqliteStore(join(dir, 'vigil.db'));
  const sink = new RecordingSink();
  const health = options.health ?? new IngestHealth();
  const app = Fastify({ logger: false });
  await app.register(ingestRoutes, { store, samples: sink, health, ...options });
  await app.register(recordQueryRoutes, { store });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  after(close);
  return { app, store, sink, health, base: `http://127.0.0.1:${address.port}`, dir, close };
}

/** POSTs `body` and returns status, headers and the body as bytes. */
export async function post(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Headers; body: Buffer; json: () => unknown }> {
  const response = await fetch(url, { method: 'POST', body, headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    body: bytes,
    json: () => JSON.parse(bytes.toString('utf8')),
  };
}
