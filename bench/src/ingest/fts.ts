// Full-text search latency over a large log table: lines generated straight into a store file
// (batches of 10,000, synchronous=NORMAL to generate faster; queries do not depend on it), then
// each query timed many times. The peer is what one does without a full-text index: a LIKE scan.
import { join } from 'node:path';
import { openSqliteStore } from '@vigil/store/sqlite';
import BetterSqlite3 from 'better-sqlite3';

const WORDS = [
  'request',
  'completed',
  'tool',
  'search',
  'docs',
  'returned',
  'planner',
  'turn',
  'started',
  'cache',
  'hit',
  'miss',
  'provider',
  'answered',
  'retry',
  'session',
  'budget',
  'token',
  'model',
  'route',
];
const SERVICES = ['gateway', 'planner', 'tools', 'billing'];

/** What generating the table cost. */
export interface Generated {
  lines: number;
  ms: number;
  bytes: number;
}

/** One timed query: its median and p95 over `runs` runs, and how many lines it found. */
export interface QueryTiming {
  label: string;
  medianMs: number;
  p95Ms: number;
  found: number;
}

/**
 * Writes `lines` lines: messages of 8 common words plus a number; one line in 100,000 also
 * carries "kraken" (rare), one in 10 "overloaded" (common, at error level).
 */
export async function generate(dir: string, lines: number): Promise<Generated> {
  const store = await openSqliteStore(join(dir, 'vigil.db'), { synchronous: 'NORMAL' });
  const started = performance.now();
  const t0 = Date.UTC(2026, 10, 1);
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed;
  };
  for (let done = 0; done < lines; done += 10_000) {
    const batch = [];
    for (let i = done; i < Math.min(lines, done + 10_000); i++) {
      const words = Array.from({ length: 8 }, () => WORDS[(random() >>> 8) % WORDS.length]);
      if (i % 100_000 === 7) words.push('kraken');
      const failing = i % 10 === 3;
      if (failing) words.push('overloaded');
      batch.push({
        ts: t0 + i * 10,
        service: SERVICES[i % SERVICES.length],
        level: failing ? ('error' as const) : ('info' as const),
        event: failing ? 'llm.call.failed' : 'tool.call.completed',
        component: 'llm',
        message: `${words.join(' ')} ${i}`,
        correlation_id: `req-${Math.floor(i / 8)}`,
        attributes: { duration_ms: i % 1000 },
      });
    }
    await store.logs.insertBatch(batch);
  }
  const ms = performance.now() - started;
  await store.close();
  const db = new BetterSqlite3(join(dir, 'vigil.db'), { readonly: true });
  const pages = db.pragma('page_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  return { lines, ms, bytes: pages * size };
}

/** Times the searches a user runs in the log explorer, through the store's query API. */
export async function timeQueries(dir: string, runs: number): Promise<QueryTiming[]> {
  const store = await openSqliteStore(join(dir, 'vigil.db'));
  const db = new BetterSqlite3(join(dir, 'vigil.db'), { readonly: true });
  const cases: { label: string; run: () => Promise<number> | number; runs?: number }[] = [
    {
      label: '`text=kraken` (rare word), newest 100',
      run: async () => (await store.logs.query({ text: 'kraken' })).records.length,
    },
    {
      label: '`text=overloaded` (in 10% of lines), newest 100',
      run: async () => (await store.logs.query({ text: 'overloaded' })).records.length,
    },
    {
      label: '`text=provider retry` (two common words), newest 100',
      run: async () => (await store.logs.query({ text: 'provider retry' })).records.length,
    },
    {
      label: '`text=overloaded&service=billing`, newest 100',
      run: async () => (await store.logs.query({ text: 'overloaded', service: 'billing' })).records.length,
    },
    {
      label: '`text=overl*` (prefix), newest 100',
      run: async () => (await store.logs.query({ text: 'overl*' })).records.length,
    },
    {
      label: '`correlation_id=req-12345` (indexed, no text)',
      run: async () => (await store.logs.query({ correlation_id: 'req-12345' })).records.length,
    },
    {
      label: "peer: `message LIKE '%kraken%'` (no full-text index, full scan)",
      run: () =>
        (db.prepare("SELECT seq FROM logs WHERE message LIKE '%kraken%' ORDER BY ts DESC LIMIT 100").all() as unknown[])
          .length,
      runs: Math.min(runs, 5),
    },
  ];
  const out: QueryTiming[] = [];
  for (const c of cases) {
    const times: number[] = [];
    let found = 0;
    await c.run(); // warm the page cache
    for (let i = 0; i < (c.runs ?? runs); i++) {
      const started = performance.now();
      found = await c.run();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    out.push({
      label: c.label,
      medianMs: times[Math.floor(times.length / 2)]!,
      p95Ms: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!,
      found,
    });
  }
  db.close();
  await store.close();
  return out;
}
