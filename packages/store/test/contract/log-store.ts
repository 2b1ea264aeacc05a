import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LogInput, LogStore } from '../../src/logs/types.js';
import { rejectsWith } from './invocation-store.js';

/** A log store under test and how to dispose of it. */
export interface LogHarness {
  store: LogStore;
  close(): Promise<void>;
}

/** Makes a fresh, empty store whose default clock is `now`. */
export type MakeLogStore = (options: { now: () => number }) => Promise<LogHarness>;

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/** 20 lines one second apart over 2 services, every level, a few events, components and correlation ids. */
function sample(): LogInput[] {
  const levels = ['debug', 'info', 'info', 'warning', 'error'] as const;
  return Array.from({ length: 20 }, (_, i) => ({
    ts: T0 + i * 1000,
    service: i % 2 === 0 ? 'planner' : 'gateway',
    level: levels[i % 5],
    event: i % 5 === 4 ? 'llm.call.failed' : 'http.request.completed',
    component: i < 10 ? 'llm' : 'http',
    message: i % 5 === 4 ? `provider answered 529 overloaded (attempt ${i})` : `request ${i} done`,
    error: i % 5 === 4 ? 'ProviderError: overloaded\n    at call (llm.ts:12:3)' : null,
    correlation_id: `req-${i % 3}`,
    trace_id: i === 7 ? TRACE : null,
    attributes: { i },
  }));
}

/** The behaviour every LogStore must have, whatever it stores into. */
export function logStoreContract(name: string, make: MakeLogStore): void {
  describe(`${name} LogStore contract`, () => {
    let clock = T0;
    async function withStore(fn: (store: LogStore) => Promise<void>): Promise<void> {
      clock = T0;
      const harness = await make({ now: () => clock });
      try {
        await fn(harness.store);
      } finally {
        await harness.close();
      }
    }
    const messages = async (store: LogStore, q: Parameters<LogStore['query']>[0]) =>
      (await store.query(q)).records.map((r) => r.message);

    test('a line round-trips every field; seq is assigned; defaults are info and the clock', () =>
      withStore(async (store) => {
        const full = {
          id: 'line-1',
          ts: T0,
          service: 'planner',
          level: 'error' as const,
          severity: 18,
          event: 'llm.call.failed',
          component: 'llm',
          message: 'provider answered 529',
          error: 'ProviderError: 529\n    at x (a.ts:1:1)',
          correlation_id: 'req-1',
          trace_id: TRACE.toUpperCase(),
          span_id: '00f067aa0ba902b7',
          attributes: { attempt: 2, nested: { ok: false } },
          resource: { 'host.name': 'a' },
        };
        assert.deepEqual(await store.insertBatch([full]), { inserted: 1, duplicates: 0 });
        clock = T0 + 9;
        await store.insertBatch([{ message: 'bare' }]);
        const { records, next_cursor } = await store.query({ order: 'asc' });
        assert.equal(next_cursor, null);
        assert.equal(records.length, 2);
        const [a, b] = records;
        assert.ok(a && b && b.seq > a.seq);
        assert.deepEqual({ ...a, seq: 0 }, { ...full, seq: 0, trace_id: TRACE });
        assert.deepEqual(
          { ts: b.ts, level: b.level, severity: b.severity, id: b.id, service: b.service, attributes: b.attributes },
          { ts: T0 + 9, level: 'info', severity: 9, id: null, service: null, attributes: {} },
        );
      }));

    test('the same id twice keeps the first line; lines without id are all kept', () =>
      withStore(async (store) => {
        assert.deepEqual(
          await store.insertBatch([
            { id: 'k', message: 'one' },
            { id: 'k', message: 'two' },
          ]),
          {
            inserted: 1,
            duplicates: 1,
          },
        );
        assert.deepEqual(await store.insertBatch([{ id: 'k', message: 'three' }, { message: 'x' }, { message: 'x' }]), {
          inserted: 2,
          duplicates: 1,
        });
        assert.deepEqual((await messages(store, { order: 'asc' })).sort(), ['one', 'x', 'x']);
      }));

    test('a bad line rejects its whole batch, naming the field, and nothing is stored', () =>
      withStore(async (store) => {
        await rejectsWith(
          store.insertBatch([{ message: 'ok' }, { message: 7 as never }]),
          'VIGIL_STORE_BAD_RECORD',
          /records\[1\]\.message must be a string/,
        );
        await rejectsWith(
          store.insertBatch([{ message: 'a', level: 'loud' as never }]),
          'VIGIL_STORE_BAD_RECORD',
          /records\[0\]\.level must be one of/,
        );
        await rejectsWith(
          store.insertBatch([{ message: 'a', severity: 25 }]),
          'VIGIL_STORE_BAD_RECORD',
          /severity must be a whole number from 1 to 24/,
        );
        await rejectsWith(
          store.insertBatch([{ message: 'a', trace_id: 'xyz' }]),
          'VIGIL_STORE_BAD_RECORD',
          /trace_id must be 32 hex digits/,
        );
        await rejectsWith(
          store.insertBatch([{ message: 'a', attributes: [] as never }]),
          'VIGIL_STORE_BAD_RECORD',
          /attributes must be a JSON object/,
        );
        await rejectsWith(
          store.insertBatch([{ message: 'a', attributes: { n: 10n } }]),
          'VIGIL_STORE_BAD_RECORD',
          /attributes is not plain JSON/,
        );
        await rejectsWith(
          store.insertBatch([{ message: 'a', ts: 'yesterday' }]),
          'VIGIL_STORE_BAD_RECORD',
          /records\[0\]\.ts is not a valid date/,
        );
        assert.deepEqual((await store.query()).records, []);
      }));

    test('filters: service, level, min_level, event, component, correlation_id, trace_id, time range', () =>
      withStore(async (store) => {
        await store.insertBatch(sample());
        const count = async (q: Parameters<LogStore['query']>[0]) =>
          (await store.query({ limit: 1000, ...q })).records.length;
        assert.equal(await count({}), 20);
        assert.equal(await count({ service: 'planner' }), 10);
        assert.equal(await count({ level: 'error' }), 4);
        assert.equal(await count({ level: ['error', 'debug'] }), 8);
        assert.equal(await count({ min_level: 'warning' }), 8);
        assert.equal(await count({ level: 'info', min_level: 'error' }), 0);
        assert.equal(await count({ event: 'llm.call.failed', component: 'llm' }), 2);
        assert.equal(await count({ correlation_id: 'req-1' }), 7);
        assert.equal(await count({ trace_id: TRACE.toUpperCase() }), 1);
        assert.equal(await count({ since: T0 + 5000, until: T0 + 8000 }), 3);
        assert.equal(await count({ since: new Date(T0 + 19_000).toISOString() }), 1);
      }));

    test('full text: every word must appear, whole words, case-insensitive, prefix with *, over message and error', () =>
      withStore(async (store) => {
        await store.insertBatch(sample());
        const count = async (text: string, q = {}) => (await store.query({ text, limit: 1000, ...q })).records.length;
        assert.equal(await count('overloaded'), 4);
        assert.equal(await count('OVERLOADED 529'), 4);
        assert.equal(await count('overload'), 0);
        assert.equal(await count('overl*'), 4);
        assert.equal(await count('ProviderError'), 4, 'the error text is searched too');
        assert.equal(await count('llm.ts'), 4, 'punctuation separates words: llm AND ts');
        assert.equal(await count('attempt 14'), 1);
        assert.equal(await count('overloaded', { service: 'planner' }), 2);
        assert.equal(
          await count('"quoted" (parens) AND OR NOT'),
          0,
          'FTS syntax is searched as words, never a syntax error',
        );
        await rejectsWith(store.query({ text: '  ?! ' }), 'VIGIL_STORE_BAD_QUERY', /text has no word/);
      }));

    test('full-text results come in the order lines were stored, newest stored first, and page by cursor', () =>
      withStore(async (store) => {
        const late = Array.from({ length: 7 }, (_, i) => ({ ts: T0 + (i % 3) * 1000, message: `needle ${i}` }));
        await store.insertBatch(late);
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 5; pages++) {
          const page = await store.query({ text: 'needle', limit: 3, ...(cursor ? { cursor } : {}) });
          seen.push(...page.records.map((r) => r.message));
          if (page.next_cursor === null) break;
          cursor = page.next_cursor;
        }
        assert.deepEqual(seen, late.map((l) => l.message).reverse());
        const asc = await store.query({ text: 'needle', order: 'asc', limit: 2, since: T0 + 1000 });
        assert.deepEqual(
          asc.records.map((r) => r.message),
          ['needle 1', 'needle 2'],
        );
      }));

    test('newest first by default; pages by cursor never overlap or skip, in either order', () =>
      withStore(async (store) => {
        const lines = sample();
        lines.push({ ...lines[3]!, message: 'same ts as 3' });
        await store.insertBatch(lines);
        for (const order of ['desc', 'asc'] as const) {
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let pages = 0; pages < 10; pages++) {
            const page = await store.query({ limit: 6, order, ...(cursor ? { cursor } : {}) });
            seen.push(...page.records.map((r) => `${r.ts}:${r.message}`));
            if (page.next_cursor === null) break;
            cursor = page.next_cursor;
          }
          assert.equal(seen.length, 21, order);
          assert.equal(new Set(seen).size, 21, order);
          const ts = seen.map((s) => Number(s.split(':')[0]));
          const sorted = [...ts].sort((a, b) => (order === 'asc' ? a - b : b - a));
          assert.deepEqual(ts, sorted, order);
        }
        assert.equal((await store.query({ limit: 1 })).records[0]?.ts, T0 + 19_000);
        await rejectsWith(store.query({ cursor: 'nonsense' }), 'VIGIL_STORE_BAD_QUERY', /cursor/);
      }));

    test('bad filters are refused, naming them', () =>
      withStore(async (store) => {
        await rejectsWith(store.query({ level: 'loud' as never }), 'VIGIL_STORE_BAD_QUERY', /level must be one of/);
        await rejectsWith(store.query({ service: '' }), 'VIGIL_STORE_BAD_QUERY', /service must be a non-empty string/);
        await rejectsWith(store.query({ limit: 0 }), 'VIGIL_STORE_BAD_QUERY', /limit/);
        await rejectsWith(
          store.query({ since: T0 + 1, until: T0 }),
          'VIGIL_STORE_BAD_QUERY',
          /since .* is after until/,
        );
        await rejectsWith(store.query({ order: 'up' as never }), 'VIGIL_STORE_BAD_QUERY', /order/);
      }));

    test('error timeline: error and critical lines per bucket and service, in time order', () =>
      withStore(async (store) => {
        await store.insertBatch([
          ...sample(),
          { ts: T0 + 1500, level: 'critical', service: 'planner', message: 'down' },
        ]);
        assert.deepEqual(await store.errorTimeline({ since: T0, until: T0 + 20_000, step_ms: 10_000 }), [
          { ts: T0, service: 'gateway', count: 1 },
          { ts: T0, service: 'planner', count: 2 },
          { ts: T0 + 10_000, service: 'gateway', count: 1 },
          { ts: T0 + 10_000, service: 'planner', count: 1 },
        ]);
        assert.deepEqual(
          await store.errorTimeline({
            since: T0,
            until: T0 + 20_000,
            step_ms: 20_000,
            service: 'gateway',
            min_level: 'warning',
          }),
          [{ ts: T0, service: 'gateway', count: 4 }],
        );
        await rejectsWith(
          store.errorTimeline({ since: T0, until: T0 + 1e9, step_ms: 1 }),
          'VIGIL_STORE_BAD_QUERY',
          /more than 10000 buckets/,
        );
        await rejectsWith(
          store.errorTimeline({ since: T0, until: T0, step_ms: 1 }),
          'VIGIL_STORE_BAD_QUERY',
          /until must be after since/,
        );
        await rejectsWith(
          store.errorTimeline({ since: T0, until: T0 + 1, step_ms: 0.5 }),
          'VIGIL_STORE_BAD_QUERY',
          /step_ms/,
        );
      }));

    test('deleteBefore removes older lines (and their full text) and keeps the rest', () =>
      withStore(async (store) => {
        await store.insertBatch(sample());
        assert.equal(await store.deleteBefore(T0 + 10_000), 10);
        const left = (await store.query({ limit: 100 })).records;
        assert.equal(left.length, 10);
        assert.ok(left.every((r) => r.ts >= T0 + 10_000));
        assert.equal((await store.query({ text: 'overloaded' })).records.length, 2);
        assert.equal(await store.deleteBefore(T0), 0);
      }));
  });
}
