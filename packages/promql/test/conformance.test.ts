// Runs Prometheus's own PromQL conformance files (promqltest format, copied under test/conformance) against the
// engine. Cases listed in test/conformance/skip.txt are skipped with their reason; every other case must pass.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Engine, MemoryQuerier, type QueryResult, STALE_NAN } from '../src/index.js';
import { type EvalCommand, parseTestFile, type SeriesLine } from './conformance/promqltest.js';

const dir = new URL('../../test/conformance/', import.meta.url);

interface SkipEntry {
  category: string;
  reason: string;
  used: boolean;
}

function readSkips(): Map<string, SkipEntry> {
  const skips = new Map<string, SkipEntry>();
  for (const raw of readFileSync(new URL('skip.txt', dir), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+:\d+)\s+([\w-]+):\s*(.+)$/.exec(line);
    if (!m) throw new Error(`skip.txt: cannot read "${line}"`);
    skips.set(m[1]!, { category: m[2]!, reason: m[3]!, used: false });
  }
  return skips;
}

function almostEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  const minNormal = 2.2250738585072014e-308;
  if (a === 0 || b === 0 || absSum < minNormal) return diff < 1e-6 * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < 1e-6;
}

function key(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function show(labels: Record<string, string>): string {
  return key(labels);
}

/** Compares a vector result (one value per series) with the expectation. */
function compareVector(
  cmd: EvalCommand,
  got: { metric: Record<string, string>; value: number }[],
  ordered: boolean,
): void {
  const want = cmd.expected;
  if (got.length !== want.length) {
    throw new Error(
      `expected ${want.length} series, got ${got.length}: ${got.map((g) => `${show(g.metric)}=${g.value}`).join(' ')}`,
    );
  }
  const byKey = new Map(got.map((g, i) => [key(g.metric), { ...g, i }]));
  want.forEach((w, i) => {
    const g = byKey.get(key(w.labels));
    if (!g)
      throw new Error(`expected series ${show(w.labels)} not in result: ${got.map((x) => show(x.metric)).join(' ')}`);
    if (ordered && g.i !== i) throw new Error(`expected ${show(w.labels)} at position ${i}, got it at ${g.i}`);
    if (typeof w.values[0] !== 'number' || !almostEqual(g.value, w.values[0]))
      throw new Error(`${show(w.labels)}: expected ${w.values[0]}, got ${g.value}`);
  });
}

function compareMatrix(
  want: SeriesLine[],
  got: { metric: Record<string, string>; values: [number, number][] }[],
  start: number,
  step: number,
): void {
  const nonEmpty = want.filter((w) => w.values.some((v) => typeof v === 'number'));
  if (got.length !== nonEmpty.length) {
    throw new Error(
      `expected ${nonEmpty.length} series, got ${got.length}: ${got.map((g) => show(g.metric)).join(' ')}`,
    );
  }
  const byKey = new Map(got.map((g) => [key(g.metric), g]));
  for (const w of nonEmpty) {
    const g = byKey.get(key(w.labels));
    if (!g)
      throw new Error(`expected series ${show(w.labels)} not in result: ${got.map((x) => show(x.metric)).join(' ')}`);
    const points: [number, number][] = [];
    w.values.forEach((v, i) => {
      if (typeof v === 'number') points.push([(start + i * step) / 1000, v]);
    });
    const detail = () => `${show(w.labels)}: expected ${JSON.stringify(points)}, got ${JSON.stringify(g.values)}`;
    if (points.length !== g.values.length) throw new Error(detail());
    points.forEach(([t, v], i) => {
      const [gt, gv] = g.values[i]!;
      if (gt !== t || !almostEqual(gv, v)) throw new Error(detail());
    });
  }
}

function checkAnnotations(
  kind: 'warning' | 'info',
  got: string[],
  want: (string | RegExp | true)[],
  none: boolean,
): void {
  if (none && got.length > 0) throw new Error(`expected no ${kind}, got ${JSON.stringify(got)}`);
  for (const w of want) {
    const ok = w === true ? got.length > 0 : got.some((g) => (typeof w === 'string' ? g === w : w.test(g)));
    if (!ok) throw new Error(`expected ${kind} ${w === true ? '(any)' : String(w)}, got ${JSON.stringify(got)}`);
  }
}

function checkResult(cmd: EvalCommand, res: QueryResult): void {
  checkAnnotations('warning', res.warnings ?? [], cmd.warn, cmd.noWarn);
  checkAnnotations('info', res.infos ?? [], cmd.info, cmd.noInfo);
  if (cmd.string !== undefined) {
    assert.equal(res.resultType, 'string');
    assert.equal(res.result[1], cmd.string);
    return;
  }
  if (cmd.scalar !== undefined) {
    if (res.resultType !== 'scalar') throw new Error(`expected scalar ${cmd.scalar}, got ${res.resultType}`);
    if (!almostEqual(res.result[1], cmd.scalar)) throw new Error(`expected scalar ${cmd.scalar}, got ${res.result[1]}`);
    return;
  }
  if (cmd.range) {
    if (res.resultType !== 'matrix') throw new Error(`expected a matrix, got ${res.resultType}`);
    compareMatrix(cmd.expected, res.result, cmd.range.start, cmd.range.step);
    return;
  }
  if (res.resultType === 'matrix') {
    if (!cmd.matrix) throw new Error('got a range vector without "expect range vector"');
    compareMatrix(cmd.expected, res.result, cmd.matrix.start, cmd.matrix.step);
    return;
  }
  if (res.resultType !== 'vector') throw new Error(`expected a vector, got ${res.resultType}`);
  compareVector(
    cmd,
    res.result.map((s) => ({ metric: s.metric, value: s.value[1] })),
    cmd.ordered,
  );
}

/** The instant query again as a range query around its time: the middle step must give the same answer. */
function checkAsRange(engine: Engine, q: MemoryQuerier, cmd: EvalCommand, res: QueryResult): void {
  if (res.resultType !== 'vector' && res.resultType !== 'scalar') return;
  // start(), end(), step() and range() read the query's bounds, which differ between the two runs by design.
  if (/\b(start|end|step|range)\(\)/.test(cmd.expr)) return;
  const ranged = engine.rangeQuery(q, cmd.expr, cmd.at - 60_000, cmd.at + 60_000, 60_000);
  if (ranged.resultType !== 'matrix') throw new Error('range query did not return a matrix');
  const at = cmd.at / 1000;
  const vec = ranged.result.flatMap((s) =>
    s.values.filter(([t]) => t === at).map(([, v]) => ({ metric: s.metric, value: v })),
  );
  if (res.resultType === 'scalar') {
    if (!almostEqual(vec[0]?.value ?? Number.NaN, cmd.scalar ?? res.result[1]))
      throw new Error(`as a range query: scalar ${vec[0]?.value}`);
    return;
  }
  try {
    compareVector(cmd, vec, false);
  } catch (e) {
    throw new Error(`as a range query: ${(e as Error).message}`);
  }
}

function runEval(engine: Engine, q: MemoryQuerier, cmd: EvalCommand): void {
  let res: QueryResult;
  try {
    res = cmd.range
      ? engine.rangeQuery(q, cmd.expr, cmd.range.start, cmd.range.end, cmd.range.step)
      : engine.instantQuery(q, cmd.expr, cmd.at);
  } catch (e) {
    if (!cmd.fail) throw e;
    const msg = (e as Error).message;
    if (cmd.failMessage !== undefined && !msg.includes(cmd.failMessage))
      throw new Error(`expected error "${cmd.failMessage}", got "${msg}"`);
    if (cmd.failRegex && !cmd.failRegex.test(msg))
      throw new Error(`expected error matching ${cmd.failRegex}, got "${msg}"`);
    return;
  }
  if (cmd.fail) throw new Error(`expected an error, got ${JSON.stringify(res).slice(0, 200)}`);
  checkResult(cmd, res);
  if (!cmd.range && !cmd.ordered) checkAsRange(engine, q, cmd, res);
}

test('Prometheus PromQL conformance files', () => {
  const skips = readSkips();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test'))
    .sort();
  assert.ok(files.length > 0, 'no .test files under test/conformance');
  let passed = 0;
  let skipped = 0;
  const failures: string[] = [];
  const nowPassing: string[] = [];
  const bySkipCategory = new Map<string, number>();
  for (const file of files) {
    const engine = new Engine({ lookbackDeltaMs: 300_000 });
    const q = new MemoryQuerier();
    for (const cmd of parseTestFile(readFileSync(new URL(file, dir), 'utf8'))) {
      if (cmd.kind === 'clear') q.clear();
      else if (cmd.kind === 'load') {
        for (const s of cmd.series) {
          s.values.forEach((v, i) => {
            if (v === 'stale') q.add(s.labels, i * cmd.intervalMs, STALE_NAN);
            else if (v !== undefined) q.add(s.labels, i * cmd.intervalMs, v);
          });
        }
      } else {
        const id = `${file}:${cmd.line}`;
        const skip = skips.get(id);
        if (skip) {
          skip.used = true;
          skipped++;
          bySkipCategory.set(skip.category, (bySkipCategory.get(skip.category) ?? 0) + 1);
          // A skipped case that passes must leave the list.
          try {
            runEval(engine, q, cmd);
            nowPassing.push(id);
          } catch (e) {
            // Still failing, as listed.
            if (process.env.PROMQL_CONFORMANCE_VERBOSE)
              console.log(`skipped ${id}: ${cmd.expr}\n    ${(e as Error).message}`);
          }
          continue;
        }
        try {
          runEval(engine, q, cmd);
          passed++;
        } catch (e) {
          failures.push(`${id}: ${cmd.expr}\n    ${(e as Error).message}`);
        }
      }
    }
  }
  const stale = [...skips.entries()].filter(([, s]) => !s.used).map(([id]) => id);
  const categories = [...bySkipCategory.entries()].map(([c, n]) => `${c} ${n}`).join(', ');
  console.log(`promql conformance: ${passed} passed, ${failures.length} failed, ${skipped} skipped (${categories})`);
  if (failures.length > 0) console.log(failures.join('\n'));
  assert.deepEqual(stale, [], 'skip.txt lists cases that do not exist');
  assert.deepEqual(nowPassing, [], 'skip.txt lists cases that pass: remove them');
  assert.equal(failures.length, 0, `${failures.length} conformance cases failed`);
});
