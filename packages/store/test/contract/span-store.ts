import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SpanInput, SpanStore } from '../../src/spans/types.js';
import { rejectsWith } from './invocation-store.js';

/** A span store under test and how to dispose of it. */
export interface SpanHarness {
  store: SpanStore;
  close(): Promise<void>;
}

/** Makes a fresh, empty span store. */
export type MakeSpanStore = () => Promise<SpanHarness>;

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const TRACE_A = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACE_B = '0af7651916cd43dd8448eb211c80319c';

function span(i: number, overrides: Partial<SpanInput> = {}): SpanInput {
  return {
    trace_id: i < 4 ? TRACE_A : TRACE_B,
    span_id: `00f067aa0ba902${String(i).padStart(2, '0')}`,
    parent_span_id: i === 0 || i === 4 ? null : i < 4 ? '00f067aa0ba90200' : '00f067aa0ba90204',
    ts: T0 + i * 10 + 0.125,
    duration_ms: 100 - i,
    name: `step ${i}`,
    kind: 'internal',
    service: i % 2 === 0 ? 'planner' : 'gateway',
    status: i === 2 ? 'error' : 'unset',
    correlation_id: i < 4 ? 'req-a' : null,
    ...overrides,
  };
}

/** The behaviour every SpanStore must have, whatever it stores into. */
export function spanStoreContract(name: string, make: MakeSpanStore): void {
  describe(`${name} SpanStore contract`, () => {
    async function withStore(fn: (store: SpanStore) => Promise<void>): Promise<void> {
      const harness = await make();
      try {
        await fn(harness.store);
      } finally {
        await harness.close();
      }
    }

    test('a span round-trips every field, microseconds included', () =>
      withStore(async (store) => {
        const full = {
          trace_id: TRACE_A,
          span_id: '00f067aa0ba902b7',
          parent_span_id: '00f067aa0ba902b6',
          ts: T0 + 0.123,
          duration_ms: 12.345,
          name: 'chat claude',
          kind: 'client' as const,
          service: 'planner',
          status: 'error' as const,
          status_message: 'overloaded',
          correlation_id: 'req-1',
          scope: '@vigil/sdk',
          attributes: { 'gen_ai.usage.input_tokens': 12 },
          events: [{ ts: T0 + 5.5, name: 'exception', attributes: { 'exception.type': 'E' } }],
          links: [{ trace_id: TRACE_B, span_id: '00f067aa0ba90201', attributes: {} }],
          resource: { 'host.name': 'h' },
        };
        assert.deepEqual(await store.insertBatch([full]), { inserted: 1, duplicates: 0 });
        const { records } = await store.query();
        assert.equal(records.length, 1);
        assert.deepEqual({ ...records[0], seq: 0 }, { ...full, seq: 0 });
      }));

    test('(trace_id, span_id) is the idempotency key: a retried span is stored once', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.insertBatch([span(0), span(1), span(0, { name: 'again' })]), {
          inserted: 2,
          duplicates: 1,
        });
        assert.deepEqual(await store.insertBatch([span(1), span(2)]), { inserted: 1, duplicates: 1 });
        const names = (await store.query()).records.map((s) => s.name);
        assert.deepEqual(names, ['step 0', 'step 1', 'step 2']);
      }));

    test('a bad span rejects its whole batch, naming the field', () =>
      withStore(async (store) => {
        await rejectsWith(
          store.insertBatch([span(0), span(1, { trace_id: '00' })]),
          'VIGIL_STORE_BAD_RECORD',
          /spans\[1\]\.trace_id must be 32 hex digits/,
        );
        await rejectsWith(
          store.insertBatch([span(0, { span_id: '0000000000000000' })]),
          'VIGIL_STORE_BAD_RECORD',
          /span_id is required/,
        );
        await rejectsWith(
          store.insertBatch([span(0, { kind: 'odd' as never })]),
          'VIGIL_STORE_BAD_RECORD',
          /kind must be one of/,
        );
        await rejectsWith(store.insertBatch([span(0, { duration_ms: -1 })]), 'VIGIL_STORE_BAD_RECORD', /duration_ms/);
        await rejectsWith(store.insertBatch([span(0, { name: '' })]), 'VIGIL_STORE_BAD_RECORD', /name is required/);
        assert.deepEqual((await store.query()).records, []);
      }));

    test('spans by trace in start order; by correlation id, service, status, duration, time; pages by cursor', () =>
      withStore(async (store) => {
        await store.insertBatch(Array.from({ length: 8 }, (_, i) => span(7 - i)));
        const ids = async (q: Parameters<SpanStore['query']>[0]) => (await store.query(q)).records.map((s) => s.name);
        assert.deepEqual(await ids({ trace_id: TRACE_A.toUpperCase() }), ['step 0', 'step 1', 'step 2', 'step 3']);
        assert.deepEqual(await ids({ correlation_id: 'req-a', status: 'error' }), ['step 2']);
        assert.deepEqual(await ids({ service: 'gateway', min_duration_ms: 96 }), ['step 1', 'step 3']);
        assert.deepEqual(await ids({ since: T0 + 60, order: 'desc' }), ['step 7', 'step 6']);
        const first = await store.query({ limit: 5 });
        assert.ok(first.next_cursor);
        const second = await store.query({ limit: 5, cursor: first.next_cursor });
        assert.equal(second.next_cursor, null);
        assert.deepEqual(
          [...first.records, ...second.records].map((s) => s.name),
          Array.from({ length: 8 }, (_, i) => `step ${i}`),
        );
        await rejectsWith(store.query({ min_duration_ms: -1 }), 'VIGIL_STORE_BAD_QUERY', /min_duration_ms/);
        await rejectsWith(store.query({ trace_id: '' }), 'VIGIL_STORE_BAD_QUERY', /trace_id/);
      }));

    test('deleteBefore removes spans that started earlier', () =>
      withStore(async (store) => {
        await store.insertBatch(Array.from({ length: 8 }, (_, i) => span(i)));
        assert.equal(await store.deleteBefore(T0 + 40), 4);
        assert.deepEqual(
          (await store.query()).records.map((s) => s.trace_id),
          Array(4).fill(TRACE_B),
        );
      }));
  });
}
