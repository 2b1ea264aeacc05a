// Shared by the storage tests: a temp dir per test, a store on a file in it with a clock the test moves,
// and reading a selection back as plain arrays.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type Matcher, Tsdb, type TsdbOptions } from '../../src/index.js';

/** 2026-11-23T00:00:00Z, where the tests' clocks start. */
export const T0 = Date.UTC(2026, 10, 23);

/** A clock a test sets by hand. */
export interface ManualClock {
  ms: number;
  now: () => number;
}

export function manualClock(ms = T0): ManualClock {
  const clock = { ms, now: () => clock.ms };
  return clock;
}

/** A temp dir removed after the test. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tsdb-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a store at `path` with no timers (tests flush and run retention themselves), closed after the test. */
export function openStore(t: TestContext, options: TsdbOptions): Tsdb {
  const db = Tsdb.open({ flushIntervalMs: 0, retentionIntervalMs: 0, ...options });
  t.after(() => db.close());
  return db;
}

/** `name=value` matcher shorthand. */
export function eq(name: string, value: string): Matcher {
  return { type: '=', name, value };
}

/** Every selected series as `key → [t, v][]`, where key is `name{a="1"}`-ish (labels in order). */
export function readAll(
  db: Tsdb,
  matchers: readonly Matcher[],
  mint = -(2 ** 52),
  maxt = 2 ** 52,
): Map<string, number[][]> {
  const out = new Map<string, number[][]>();
  for (const series of db.select(matchers, mint, maxt)) {
    const key = series.labels.map((l) => `${l.name}=${l.value}`).join(',');
    const samples: number[][] = [];
    const it = series.samples();
    while (it.next()) samples.push([it.t, it.v]);
    out.set(key, samples);
  }
  return out;
}

/** Timestamps of one selected series. */
export function times(db: Tsdb, matchers: readonly Matcher[], mint?: number, maxt?: number): number[] {
  const all = [...readAll(db, matchers, mint, maxt).values()];
  if (all.length !== 1) throw new Error(`expected one series, got ${all.length}`);
  return all[0]!.map(([t]) => t!);
}
