// The ingest server child: a Fastify app with the service's ingest routes over a SQLite store
// in the directory given as argv[2]. Prints {"port"} once listening, answers `stats` lines with
// the rows stored, exits when stdin closes (so it never outlives the parent).
import { join } from 'node:path';
import { cpuUsage } from 'node:process';
import { createInterface } from 'node:readline';
import { openSqliteStore } from '@vigil/store/sqlite';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import { loadIngest } from './server-module.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: server-main <dir>');
const path = join(dir, 'vigil.db');
const store = await openSqliteStore(path);
const { ingestRoutes } = await loadIngest();
const app = Fastify({ logger: false });
let requests = 0;
app.addHook('onResponse', async () => {
  requests++;
});
await app.register(ingestRoutes, { store, limits: { maxInFlight: 64, maxRecordsPerRequest: 20_000 } });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(
  `${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`,
);

const reader = new BetterSqlite3(path, { readonly: true });
const count = (table: string) => (reader.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'stats') continue;
  const cpu = cpuUsage();
  process.stdout.write(
    `${JSON.stringify({ requests, cpuMicros: cpu.user + cpu.system, counts: { spans: count('spans'), logs: count('logs') } })}\n`,
  );
}
reader.close();
await app.close();
await store.close();
