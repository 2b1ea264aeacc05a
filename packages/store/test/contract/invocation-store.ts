import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StoreError } from '../../src/errors.js';
import type { InvocationInput, InvocationRecord, InvocationStore } from '../../src/invocations/types.js';

/** A store under test and how to dispose of it. */
export interface InvocationHarness {
  store: InvocationStore;
  close(): Promise<void>;
}

/** Makes a fresh, empty store whose default clock is `now`. */
export type MakeInvocationStore = (options: { now: () => number }) => Promise<InvocationHarness>;

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAY_A = Date.UTC(2026, 10, 21);
const DAY_B = DAY_A + DAY;
const DAY_C = DAY_B + 2 * DAY;

/** A record with every field set. */
export function fullInvocation(overrides: Partial<InvocationRecord> = {}): InvocationRecord {
  return {
    id: 'inv-full',
    ts: T0,
    app_id: 'support-bot',
    session_id: 'sess-1',
    correlation_id: 'req-abc',
    task_type: 'parse_task',
    model_alias: 'fast',
    model_actual: 'claude-haiku-4-5',
    provider: 'anthropic',
    input_hash: 'sha256:9f86d081',
    latency_ms: 812.5,
    tokens_in: 1200,
    tokens_out: 340,
    cache_read_tokens_in: 800,
    cache_creation_tokens_in: 100,
    cost_usd: 0.00421,
    user_id: 'user-7',
    task_id: 'task-42',
    is_shadow: true,
    skill_id: 'skill-summarize',
    escalation_request_id: 17,
    chain_id: 'chain-3',
    caller: 'agent.planner',
    queue_wait_ms: 12.25,
    overflow_escalated: true,
    status: 'error',
    error: 'provider answered 529 overloaded',
    ...overrides,
  };
}

/** Expects `promise` to reject with a StoreError of `code` whose message matches `message`. */
export async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof StoreError, `expected a StoreError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });
}

/** The behaviour every InvocationStore must have, whatever it stores into. */
export function invocationStoreContract(name: string, make: MakeInvocationStore): void {
  describe(`${name} InvocationStore contract`, () => {
    let clock = T0;
    async function withStore(fn: (store: InvocationStore) => Promise<void>): Promise<void> {
      clock = T0;
      const harness = await make({ now: () => clock });
      try {
        await fn(harness.store);
      } finally {
        await harness.close();
      }
    }

    /** 12 calls one second apart over 2 apps, 3 users, 2 models, 2 task types and 3 statuses. */
    function sample(): InvocationInput[] {
      return Array.from({ length: 12 }, (_, i) => ({
        id: `inv-${String(i).padStart(2, '0')}`,
        ts: T0 + i * 1000,
        task_type: i % 2 === 0 ? 'parse_task' : 'escalation_lifecycle',
        model_alias: i % 3 === 0 ? 'smart' : 'fast',
        model_actual: i % 3 === 0 ? 'claude-sonnet-4' : 'gpt-4o-mini',
        user_id: `user-${i % 3}`,
        app_id: i < 6 ? 'app-a' : 'app-b',
        session_id: `sess-${i % 4}`,
        status: i === 5 ? 'error' : i === 9 ? 'timeout' : 'ok',
        tokens_in: 100 + i,
      }));
    }

    test('insertBatch stores every field and query returns it as given', () =>
      withStore(async (store) => {
        const record = fullInvocation();
        assert.deepEqual(await store.insertBatch([record]), { inserted: 1, duplicates: 0 });
        assert.deepEqual(await store.query(), [record]);
      }));

    test('a minimal record gets a random id, the clock for ts, zero counters, no cost (unknown, not 0), false flags, status ok', () =>
      withStore(async (store) => {
        clock = T0 + 5;
        await store.insertBatch([{ task_type: 'parse_task' }, { task_type: 'parse_task' }]);
        const [a, b] = await store.query();
        assert.ok(a && b);
        assert.notEqual(a.id, b.id);
        assert.match(a.id, /^[0-9a-f-]{36}$/);
        assert.deepEqual(
          { ...a, id: 'x' },
          {
            ...fullInvocation({ id: 'x', ts: T0 + 5 }),
            ...Object.fromEntries(
              ['app_id', 'session_id', 'correlation_id', 'model_alias', 'model_actual', 'provider', 'input_hash']
                .concat(['user_id', 'task_id', 'skill_id', 'escalation_request_id', 'chain_id', 'caller'])
                .concat(['queue_wait_ms', 'error'])
                .map((k) => [k, null]),
            ),
            latency_ms: 0,
            tokens_in: 0,
            tokens_out: 0,
            cache_read_tokens_in: 0,
            cache_creation_tokens_in: 0,
            cost_usd: null,
            is_shadow: false,
            overflow_escalated: false,
            status: 'ok',
          },
        );
      }));

    test('the same id twice keeps one row, the first, within a batch and across batches', () =>
      withStore(async (store) => {
        const first = fullInvocation({ id: 'dup', tokens_in: 1 });
        assert.deepEqual(await store.insertBatch([first, fullInvocation({ id: 'dup', tokens_in: 2 })]), {
          inserted: 1,
          duplicates: 1,
        });
        assert.deepEqual(await store.insertBatch([fullInvocation({ id: 'dup', tokens_in: 3 }), fullInvocation()]), {
          inserted: 1,
          duplicates: 1,
        });
        assert.equal(await store.count(), 2);
        assert.deepEqual(
          (await store.query({ limit: 10 })).find((r) => r.id === 'dup'),
          first,
        );
        assert.deepEqual(await store.insertBatch([]), { inserted: 0, duplicates: 0 });
      }));

    test('in a long batch every row keeps its own fields, and duplicates anywhere in it are kept once', () =>
      withStore(async (store) => {
        // 47 rows: more than a driver may write per statement, in no multiple of a round size.
        const batch = Array.from({ length: 47 }, (_, i) =>
          fullInvocation({
            id: `long-${i % 41}`,
            ts: T0 + i,
            tokens_in: i,
            user_id: `user-${i}`,
            is_shadow: i % 2 === 0,
          }),
        );
        assert.deepEqual(await store.insertBatch(batch), { inserted: 41, duplicates: 6 });
        const stored = await store.query({ limit: 100 });
        assert.deepEqual(stored, batch.slice(0, 41));
      }));

    test('a bad record rejects its whole batch, naming the record and the field; rows already stored stay', () =>
      withStore(async (store) => {
        await store.insertBatch([fullInvocation({ id: 'kept' })]);
        const good = fullInvocation({ id: 'new' });
        const cases: [unknown, RegExp][] = [
          [{ ...good, tokens_in: -1 }, /records\[1\]\.tokens_in must be a whole number/],
          [{ ...good, tokens_out: 1.5 }, /records\[1\]\.tokens_out/],
          [{ ...good, cost_usd: Number.NaN }, /records\[1\]\.cost_usd/],
          [{ ...good, task_type: undefined }, /records\[1\]\.task_type is required/],
          [{ ...good, ts: 'yesterday' }, /records\[1\]\.ts is not a valid date/],
          [{ ...good, is_shadow: 'yes' }, /records\[1\]\.is_shadow must be true or false/],
          [{ ...good, status: 'weird' }, /records\[1\]\.status must be one of/],
          [{ ...good, user_id: 42 }, /records\[1\]\.user_id/],
          [null, /records\[1\] must be an object, got null/],
        ];
        for (const [bad, message] of cases) {
          await rejectsWith(store.insertBatch([good, bad as InvocationInput]), 'VIGIL_STORE_BAD_RECORD', message);
        }
        assert.deepEqual(
          (await store.query()).map((r) => r.id),
          ['kept'],
        );
      }));

    test('query: the time range is [since, until), ordered by ts then id, ascending or descending', () =>
      withStore(async (store) => {
        await store.insertBatch([...sample(), { id: 'inv-tie', ts: T0 + 3000, task_type: 'parse_task' }]);
        const range = await store.query({ since: T0 + 2000, until: new Date(T0 + 5000) });
        assert.deepEqual(
          range.map((r) => r.id),
          ['inv-02', 'inv-03', 'inv-tie', 'inv-04'],
        );
        const desc = await store.query({ since: new Date(T0 + 2000).toISOString(), until: T0 + 5000, order: 'desc' });
        assert.deepEqual(
          desc.map((r) => r.id),
          ['inv-04', 'inv-tie', 'inv-03', 'inv-02'],
        );
      }));

    test('query filters by model (alias or actual), task_type, user, app, session and status, combined', () =>
      withStore(async (store) => {
        await store.insertBatch(sample());
        const ids = async (q: Parameters<InvocationStore['query']>[0]) => (await store.query(q)).map((r) => r.id);
        assert.deepEqual(await ids({ model: 'smart' }), ['inv-00', 'inv-03', 'inv-06', 'inv-09']);
        assert.deepEqual(await ids({ model: 'claude-sonnet-4' }), ['inv-00', 'inv-03', 'inv-06', 'inv-09']);
        assert.deepEqual(await ids({ task_type: 'escalation_lifecycle', app_id: 'app-a' }), [
          'inv-01',
          'inv-03',
          'inv-05',
        ]);
        assert.deepEqual(await ids({ user_id: 'user-1', app_id: 'app-b' }), ['inv-07', 'inv-10']);
        assert.deepEqual(await ids({ session_id: 'sess-2' }), ['inv-02', 'inv-06', 'inv-10']);
        assert.deepEqual(await ids({ status: 'error' }), ['inv-05']);
        assert.deepEqual(await ids({ status: 'timeout', model: 'fast' }), []);
        assert.equal(await store.count({ app_id: 'app-b', status: 'ok' }), 5);
      }));

    test('limit and offset page through without overlap; count ignores them', () =>
      withStore(async (store) => {
        await store.insertBatch(sample());
        const pages: string[] = [];
        for (let offset = 0; offset < 12; offset += 5) {
          pages.push(...(await store.query({ limit: 5, offset })).map((r) => r.id));
        }
        assert.deepEqual(
          pages,
          sample().map((r) => r.id),
        );
        assert.equal((await store.query({ limit: 5, offset: 10 })).length, 2);
        assert.equal(await store.count({ limit: 1, offset: 3 }), 12);
        assert.equal((await store.query()).length, 12);
      }));

    test('bad queries are refused naming the filter', () =>
      withStore(async (store) => {
        await rejectsWith(store.query({ limit: 0 }), 'VIGIL_STORE_BAD_QUERY', /limit must be a whole number from 1/);
        await rejectsWith(store.query({ limit: 10_001 }), 'VIGIL_STORE_BAD_QUERY', /limit/);
        await rejectsWith(store.query({ offset: -1 }), 'VIGIL_STORE_BAD_QUERY', /offset/);
        await rejectsWith(store.query({ since: 'soon' }), 'VIGIL_STORE_BAD_QUERY', /since/);
        await rejectsWith(
          store.count({ since: T0 + 1, until: T0 }),
          'VIGIL_STORE_BAD_QUERY',
          /since .* is after until/,
        );
        await rejectsWith(store.query({ app_id: '' }), 'VIGIL_STORE_BAD_QUERY', /app_id/);
        await rejectsWith(store.query({ order: 'up' as 'asc' }), 'VIGIL_STORE_BAD_QUERY', /order/);
      }));

    /** Calls over four UTC days (one before 1970, none on 2026-11-23), costs exact in binary, two unpriced. */
    function spending(): InvocationInput[] {
      const call = (id: string, ts: number, cost_usd: number | null, app_id: string, user_id: string) => ({
        id,
        ts,
        cost_usd,
        app_id,
        user_id,
        task_type: 'chat',
      });
      return [
        call('old', -1, 4, 'app-c', 'user-9'),
        call('a1', DAY_A + HOUR, 0.5, 'app-a', 'user-1'),
        call('a2', DAY_A + DAY - 1, 0.25, 'app-b', 'user-2'),
        call('b1', DAY_B, null, 'app-a', 'user-1'),
        call('b2', DAY_B + 6 * HOUR, 1.125, 'app-a', 'user-2'),
        call('b3', DAY_B + 18 * HOUR, 2, 'app-b', 'user-1'),
        call('c1', DAY_C + 12 * HOUR, 0.0625, 'app-a', 'user-1'),
        call('c2', DAY_C + 12 * HOUR, null, 'app-b', 'user-2'),
      ];
    }
    const day = (day_start_ms: number, spend_usd: number, calls: number, unpriced_calls: number) => ({
      day_start_ms,
      spend_usd,
      calls,
      unpriced_calls,
    });

    test('spendByDay: one entry per UTC day with a call, oldest first; unpriced calls counted, not summed', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.spendByDay(), []);
        await store.insertBatch(spending());
        const all = [day(-DAY, 4, 1, 0), day(DAY_A, 0.75, 2, 0), day(DAY_B, 3.125, 3, 1), day(DAY_C, 0.0625, 2, 1)];
        assert.deepEqual(await store.spendByDay(), all);
        assert.deepEqual(await store.spendByDay({ limit: 1, offset: 2, order: 'desc' }), all);
      }));

    test('spendByDay takes the filters of count: app, user, [since, until) cutting days, model, status', () =>
      withStore(async (store) => {
        await store.insertBatch(spending());
        assert.deepEqual(await store.spendByDay({ app_id: 'app-a' }), [
          day(DAY_A, 0.5, 1, 0),
          day(DAY_B, 1.125, 2, 1),
          day(DAY_C, 0.0625, 1, 0),
        ]);
        assert.deepEqual(await store.spendByDay({ user_id: 'user-2' }), [
          day(DAY_A, 0.25, 1, 0),
          day(DAY_B, 1.125, 1, 0),
          day(DAY_C, 0, 1, 1),
        ]);
        assert.deepEqual(await store.spendByDay({ app_id: 'app-a', user_id: 'user-1' }), [
          day(DAY_A, 0.5, 1, 0),
          day(DAY_B, 0, 1, 1),
          day(DAY_C, 0.0625, 1, 0),
        ]);
        const range = { since: DAY_A + 12 * HOUR, until: new Date(DAY_B + 6 * HOUR + 1).toISOString() };
        assert.deepEqual(await store.spendByDay(range), [day(DAY_A, 0.25, 1, 0), day(DAY_B, 1.125, 2, 1)]);
        assert.deepEqual(await store.spendByDay({ ...range, app_id: 'app-b' }), [day(DAY_A, 0.25, 1, 0)]);
        assert.deepEqual(await store.spendByDay({ since: DAY_B, until: DAY_B }), []);
        assert.deepEqual(await store.spendByDay({ model: 'gpt-5' }), []);
        assert.deepEqual(await store.spendByDay({ status: 'error' }), []);
        assert.equal(await store.count({ ...range, app_id: 'app-b' }), 1);
      }));

    test('spendByDay refuses a bad query naming the filter', () =>
      withStore(async (store) => {
        await rejectsWith(
          store.spendByDay({ since: DAY_B, until: DAY_A }),
          'VIGIL_STORE_BAD_QUERY',
          /since .* is after until/,
        );
        await rejectsWith(store.spendByDay({ user_id: '' }), 'VIGIL_STORE_BAD_QUERY', /user_id must be a non-empty/);
        await rejectsWith(store.spendByDay({ until: 'later' }), 'VIGIL_STORE_BAD_QUERY', /until/);
      }));

    test('a batch of 5000 rows goes in with one call', () =>
      withStore(async (store) => {
        const batch = Array.from({ length: 5000 }, (_, i) => ({ id: `bulk-${i}`, ts: T0 + i, task_type: 'bulk' }));
        assert.deepEqual(await store.insertBatch(batch), { inserted: 5000, duplicates: 0 });
        assert.equal(await store.count({ task_type: 'bulk', since: T0 + 4000 }), 1000);
      }));
  });
}
