import { join } from 'node:path';
import { createStoreSink, type InvocationRow, newInvocationId, SQLITE_MAX_BATCH } from '@vigil/sdk/recording';
import { openSqliteStore } from '@vigil/store/sqlite';
import Database from 'better-sqlite3';
import type { CaseRunner } from '../harness/rounds.js';
import { timed } from './timed.js';

type Synchronous = 'FULL' | 'NORMAL';

const TEMPLATE: InvocationRow = {
  id: '',
  ts: Date.parse('2026-11-23T10:00:00Z'),
  app_id: 'support',
  session_id: 's-1',
  correlation_id: 'req-7f3a9c21',
  task_type: 'parse_task',
  model_alias: 'fast',
  model_actual: 'gpt-4o-2024-08-06',
  provider: 'openai',
  input_hash: 'a'.repeat(64),
  latency_ms: 812,
  tokens_in: 1200,
  tokens_out: 340,
  cache_read_tokens_in: 800,
  cache_creation_tokens_in: 0,
  cost_usd: 0.0042,
  user_id: 'u-7',
  task_id: 'task-9',
  is_shadow: false,
  skill_id: null,
  escalation_request_id: null,
  chain_id: null,
  caller: 'orchestrator.parse',
  queue_wait_ms: 12,
  overflow_escalated: false,
  status: 'ok',
  error: null,
};

/**
 * A new row, as the recorder makes one per call: a fresh id (a UUIDv7, as `llm.record` makes them)
 * and the time of the call, which only moves forward. (Until 2026-11-23 each round restarted its
 * times at the same point, so every index on `ts` took its rows in the middle instead of at its end,
 * which no real log does; that cost ~20% of the rows/s of every case.)
 */
function row(): InvocationRow {
  return { ...TEMPLATE, id: newInvocationId(), ts: Date.now() };
}

/** The SDK's store sink into a real SQLite file (WAL, synchronous=FULL): rows written, then flushed. */
async function vigilSink(dir: string, maxBatch: number, synchronous: Synchronous = 'FULL') {
  const id = `vigil-${maxBatch}${synchronous === 'FULL' ? '' : '-normal'}`;
  const db = await openSqliteStore(join(dir, `${id}.db`), { synchronous });
  const maxQueue = Math.max(10_000, maxBatch);
  const sink = createStoreSink({ store: db.invocations, metrics: false, maxBatch, maxQueue, flushIntervalMs: 60_000 });
  let total = 0;
  const runner = timed(id, async (n) => {
    total += n;
    for (let done = 0; done < n; ) {
      const chunk = Math.min(maxQueue, n - done);
      for (let i = 0; i < chunk; i++) sink.write(row());
      done += chunk;
      await sink.flush();
    }
  });
  return {
    runner,
    total: () => total,
    count: () => db.invocations.count(),
    close: async () => sink.close().then(() => db.close()),
  };
}

/** A plain better-sqlite3 prepared INSERT, one transaction per batch, into the same schema and pragmas. */
async function plainInsert(dir: string, batch: number, synchronous: Synchronous = 'FULL') {
  const id = `plain-${batch}${synchronous === 'FULL' ? '' : '-normal'}`;
  const path = join(dir, `${id}.db`);
  await (await openSqliteStore(path)).close(); // the same tables and indexes
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  const columns = Object.keys(TEMPLATE);
  const insert = db.prepare(
    `INSERT OR IGNORE INTO invocations (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const insertAll = db.transaction((rows: InvocationRow[]) => {
    for (const r of rows) {
      insert.run(
        r.id,
        r.ts,
        r.app_id,
        r.session_id,
        r.correlation_id,
        r.task_type,
        r.model_alias,
        r.model_actual,
        r.provider,
        r.input_hash,
        r.latency_ms,
        r.tokens_in,
        r.tokens_out,
        r.cache_read_tokens_in,
        r.cache_creation_tokens_in,
        r.cost_usd,
        r.user_id,
        r.task_id,
        r.is_shadow ? 1 : 0,
        r.skill_id,
        r.escalation_request_id,
        r.chain_id,
        r.caller,
        r.queue_wait_ms,
        r.overflow_escalated ? 1 : 0,
        r.status,
        r.error,
      );
    }
  });
  let total = 0;
  const runner = timed(id, async (n) => {
    total += n;
    for (let done = 0; done < n; done += batch) {
      const rows: InvocationRow[] = [];
      for (let i = 0; i < Math.min(batch, n - done); i++) rows.push(row());
      insertAll(rows);
    }
  });
  const count = async () => (db.prepare('SELECT COUNT(*) AS n FROM invocations').get() as { n: number }).n;
  return { runner, total: () => total, count, close: async () => void db.close() };
}

/** The rows/s cases, keyed by runner id; `close` checks nothing was lost and frees the files. */
export async function sqliteCases(dir: string): Promise<{
  runners: CaseRunner[];
  /** Runner ids whose file holds fewer rows than were written: a lost row makes the figure void. */
  lost: () => Promise<string[]>;
  close: () => Promise<void>;
}> {
  const cases = [
    await vigilSink(dir, SQLITE_MAX_BATCH),
    await plainInsert(dir, SQLITE_MAX_BATCH),
    await vigilSink(dir, 10_000),
    await plainInsert(dir, 10_000),
    await vigilSink(dir, 10_000, 'NORMAL'),
    await plainInsert(dir, 10_000, 'NORMAL'),
  ];
  return {
    runners: cases.map((c) => c.runner),
    lost: async () => {
      const lost: string[] = [];
      for (const c of cases) if ((await c.count()) !== c.total()) lost.push(c.runner.id);
      return lost;
    },
    close: async () => {
      for (const c of cases) await c.close();
    },
  };
}
