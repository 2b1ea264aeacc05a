import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { auditHash, canonicalJson, GENESIS_HASH } from '../../src/audit/canonical.js';
import type { AuditRow } from '../../src/audit/prepare.js';
import type { AuditEvent, AuditEventInput, AuditQuery, AuditStore } from '../../src/audit/types.js';
import { rejectsWith } from './invocation-store.js';

/** Raw access to the stored events that bypasses the store, as someone holding the file has. */
export interface AuditTamper {
  /** Overwrites columns of the event at `seq`. */
  update(seq: number, patch: Partial<AuditRow>): Promise<void>;
  /** Removes the event at `seq`. */
  delete(seq: number): Promise<void>;
  /** Stores `row` at position `row.seq`, moving the event there and every later one back one place. */
  insert(row: AuditRow): Promise<void>;
  /** Swaps the positions of two events. */
  swap(a: number, b: number): Promise<void>;
}

/** A store under test, a way to tamper with what it stored, and (for durable stores) a way to reopen it. */
export interface AuditHarness {
  store: AuditStore;
  tamper: AuditTamper;
  /** Closes the store and opens the same storage again (durable stores only). */
  reopen?: () => Promise<AuditStore>;
  close(): Promise<void>;
}

/** Makes a fresh, empty store whose default clock is `now`. */
export type MakeAuditStore = (options: { now: () => number }) => Promise<AuditHarness>;

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

/** Five events one second apart: evt-1..evt-5; evt-3 failed. */
function five(): AuditEventInput[] {
  return Array.from({ length: 5 }, (_, i) => ({
    id: `evt-${i + 1}`,
    ts: T0 + i * 1000,
    event_type: i % 2 === 0 ? 'token.revoked' : 'auth.login',
    actor_user_id: `admin-${i % 2}`,
    target_user_id: `user-${i % 3}`,
    target_app_id: i < 3 ? 'app-a' : 'app-b',
    success: i !== 2,
    details: { n: i, ip: `10.0.0.${i}` },
  }));
}

/** A row that links correctly after `prev` and hashes correctly: what a careful forger writes. */
function forged(seq: number, prev: AuditEvent, overrides: Partial<AuditRow> = {}): AuditRow {
  const base = {
    id: `forged-${seq}`,
    ts: prev.ts + 1,
    event_type: 'auth.login',
    actor_user_id: 'mallory',
    target_user_id: null,
    target_app_id: null,
    success: true,
    details: '{}',
    prev_hash: prev.hash,
  };
  return { seq, ...base, hash: auditHash(base), ...overrides };
}

/** The behaviour every AuditStore must have, whatever it stores into. */
export function auditStoreContract(name: string, make: MakeAuditStore): void {
  describe(`${name} AuditStore contract`, () => {
    let clock = T0;
    async function withStore(fn: (harness: AuditHarness) => Promise<void>): Promise<void> {
      clock = T0;
      const harness = await make({ now: () => clock });
      try {
        await fn(harness);
      } finally {
        await harness.close();
      }
    }

    test('append chains each event to the one before it, from the genesis hash', () =>
      withStore(async ({ store }) => {
        const events = await store.appendBatch(five());
        clock = T0 + 5000;
        const one = await store.append({ event_type: 'auth.logout', actor_user_id: 'admin-0' });
        const all = [...events, one];
        assert.deepEqual(
          all.map((e) => e.seq),
          [1, 2, 3, 4, 5, 6],
        );
        assert.equal(all[0]!.prev_hash, GENESIS_HASH);
        for (let i = 1; i < all.length; i++) assert.equal(all[i]!.prev_hash, all[i - 1]!.hash);
        for (const e of all) {
          assert.equal(e.hash, auditHash({ ...e, details: canonicalJson(e.details, 'details') }));
        }
        assert.deepEqual(await store.query({ limit: 10 }), all);
      }));

    test('defaults: a random id, the clock for ts, success true, details {}', () =>
      withStore(async ({ store }) => {
        clock = T0 + 42;
        const e = await store.append({ event_type: 'auth.logout' });
        assert.match(e.id, /^[0-9a-f-]{36}$/);
        assert.equal(e.ts, T0 + 42);
        assert.equal(e.success, true);
        assert.deepEqual(e.details, {});
        assert.equal(e.actor_user_id, null);
      }));

    test('the hash is SHA-256 of the documented canonical encoding, whatever the key order of details', () =>
      withStore(async ({ store }) => {
        const e = await store.append({
          id: 'evt-canon',
          ts: new Date(T0),
          event_type: 'gate.denied',
          actor_user_id: 'admin',
          success: false,
          details: { z: 'é', a: [2, { y: null, b: 1.5 }], skipped: undefined },
        });
        const text =
          `["vigil-audit/1","${GENESIS_HASH}","evt-canon",${T0},"gate.denied","admin",null,null,false,` +
          '{"a":[2,{"b":1.5,"y":null}],"z":"é"}]';
        assert.equal(e.hash, createHash('sha256').update(text, 'utf8').digest('hex'));
        assert.deepEqual(e.details, { a: [2, { b: 1.5, y: null }], z: 'é' });
      }));

    test('query filters by event_type, actor, target user, target app, time range and success, combined', () =>
      withStore(async ({ store }) => {
        await store.appendBatch(five());
        const ids = async (q: AuditQuery) => (await store.query(q)).map((e) => e.id);
        assert.deepEqual(await ids({ event_type: 'auth.login' }), ['evt-2', 'evt-4']);
        assert.deepEqual(await ids({ event_type: ['auth.login', 'token.revoked'], limit: 2 }), ['evt-1', 'evt-2']);
        assert.deepEqual(await ids({ actor_user_id: 'admin-0' }), ['evt-1', 'evt-3', 'evt-5']);
        assert.deepEqual(await ids({ target_user_id: 'user-1' }), ['evt-2', 'evt-5']);
        assert.deepEqual(await ids({ target_app_id: 'app-b' }), ['evt-4', 'evt-5']);
        assert.deepEqual(await ids({ since: T0 + 1000, until: new Date(T0 + 3000).toISOString() }), ['evt-2', 'evt-3']);
        assert.deepEqual(await ids({ actor_user_id: 'admin-0', success_only: true }), ['evt-1', 'evt-5']);
        assert.deepEqual(await ids({ target_app_id: 'app-a', order: 'desc' }), ['evt-3', 'evt-2', 'evt-1']);
        assert.equal(await store.count({ success_only: true }), 4);
        assert.equal(await store.count({ event_type: 'nothing.such' }), 0);
      }));

    test('limit and offset page through the log; count ignores them', () =>
      withStore(async ({ store }) => {
        await store.appendBatch(five());
        const ids = async (q: AuditQuery) => (await store.query(q)).map((e) => e.id);
        assert.deepEqual(await ids({ limit: 2 }), ['evt-1', 'evt-2']);
        assert.deepEqual(await ids({ limit: 2, offset: 2 }), ['evt-3', 'evt-4']);
        assert.deepEqual(await ids({ limit: 2, offset: 4 }), ['evt-5']);
        assert.equal(await store.count({ limit: 1, offset: 4 }), 5);
      }));

    test('bad queries are refused naming the filter', () =>
      withStore(async ({ store }) => {
        await rejectsWith(store.query({ limit: 0 }), 'VIGIL_STORE_BAD_QUERY', /limit/);
        await rejectsWith(store.query({ offset: 1.5 }), 'VIGIL_STORE_BAD_QUERY', /offset/);
        await rejectsWith(store.query({ event_type: [] }), 'VIGIL_STORE_BAD_QUERY', /event_type/);
        await rejectsWith(store.query({ until: 'never' }), 'VIGIL_STORE_BAD_QUERY', /until/);
        await rejectsWith(store.count({ since: T0, until: T0 - 1 }), 'VIGIL_STORE_BAD_QUERY', /after until/);
        await rejectsWith(
          store.query({ success_only: 'yes' as unknown as boolean }),
          'VIGIL_STORE_BAD_QUERY',
          /success_only/,
        );
      }));

    test('verify: an empty log and an intact log are ok', () =>
      withStore(async ({ store }) => {
        assert.deepEqual(await store.verify(), { ok: true, checked: 0, lastHash: GENESIS_HASH, broken: null });
        const events = await store.appendBatch(five());
        assert.deepEqual(await store.verify(), { ok: true, checked: 5, lastHash: events[4]!.hash, broken: null });
      }));

    test('verify finds a modified event: its details, its success flag, its time', async () => {
      const patches: Partial<AuditRow>[] = [
        { details: '{"ip":"10.0.0.2","n":99}' },
        { details: 'not json' },
        { success: true },
        { ts: T0 + 1 },
        { actor_user_id: null },
      ];
      for (const patch of patches) {
        await withStore(async ({ store, tamper }) => {
          const events = await store.appendBatch(five());
          await tamper.update(3, patch);
          const result = await store.verify();
          assert.equal(result.ok, false, JSON.stringify(patch));
          assert.equal(result.checked, 2);
          assert.equal(result.lastHash, events[1]!.hash);
          assert.deepEqual({ ...result.broken, message: '' }, { kind: 'modified', seq: 3, id: 'evt-3', message: '' });
          assert.match(result.broken!.message, /event #3 \(id evt-3\).*modified/);
        });
      }
    });

    test('verify finds a deleted event at the event after it', () =>
      withStore(async ({ store, tamper }) => {
        await store.appendBatch(five());
        await tamper.delete(3);
        const result = await store.verify();
        assert.equal(result.checked, 2);
        assert.deepEqual({ ...result.broken, message: '' }, { kind: 'unlinked', seq: 4, id: 'evt-4', message: '' });
        assert.match(
          result.broken!.message,
          /does not match the hash of event #2 \(id evt-2\).*deleted, inserted or reordered/,
        );
      }));

    test('verify finds events deleted from the end', () =>
      withStore(async ({ store, tamper }) => {
        await store.appendBatch(five());
        await tamper.delete(5);
        await tamper.delete(4);
        const result = await store.verify();
        assert.equal(result.checked, 3);
        assert.equal(result.broken?.kind, 'truncated');
        assert.equal(result.broken?.id, null);
        assert.match(
          result.broken!.message,
          /records 5 events but it ends after event #3 \(id evt-3\): the last 2 were deleted/,
        );
      }));

    test('verify finds an inserted event: at itself when its hash is wrong', () =>
      withStore(async ({ store, tamper }) => {
        const events = await store.appendBatch(five());
        await tamper.insert(forged(3, events[1]!, { hash: 'f'.repeat(64) }));
        const result = await store.verify();
        assert.equal(result.checked, 2);
        assert.deepEqual({ ...result.broken, message: '' }, { kind: 'modified', seq: 3, id: 'forged-3', message: '' });
      }));

    test('verify finds an inserted event with a correctly forged hash, at the event it displaced', () =>
      withStore(async ({ store, tamper }) => {
        const events = await store.appendBatch(five());
        await tamper.insert(forged(3, events[1]!));
        const result = await store.verify();
        assert.equal(result.checked, 3);
        assert.deepEqual({ ...result.broken, message: '' }, { kind: 'unlinked', seq: 4, id: 'evt-3', message: '' });
        assert.match(result.broken!.message, /event #3 \(id forged-3\)/);
      }));

    test('verify finds an event added after the head without going through the store', () =>
      withStore(async ({ store, tamper }) => {
        const events = await store.appendBatch(five());
        await tamper.insert(forged(6, events[4]!));
        const result = await store.verify();
        assert.equal(result.checked, 5);
        assert.deepEqual({ ...result.broken, message: '' }, { kind: 'unlinked', seq: 6, id: 'forged-6', message: '' });
      }));

    test('verify finds reordered events at the first one moved', () =>
      withStore(async ({ store, tamper }) => {
        await store.appendBatch(five());
        await tamper.swap(2, 4);
        const result = await store.verify();
        assert.equal(result.checked, 1);
        assert.deepEqual({ ...result.broken, message: '' }, { kind: 'unlinked', seq: 2, id: 'evt-4', message: '' });
      }));

    test('verify finds a rewritten last event even when it links and hashes correctly', () =>
      withStore(async ({ store, tamper }) => {
        const events = await store.appendBatch(five());
        const fake = forged(5, events[3]!);
        await tamper.delete(5);
        await tamper.insert(fake);
        const result = await store.verify();
        assert.equal(result.checked, 4);
        assert.deepEqual({ ...result.broken, message: '' }, { kind: 'modified', seq: 5, id: 'forged-5', message: '' });
      }));

    test('concurrent appends are serialized into one chain', () =>
      withStore(async ({ store }) => {
        const appended = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            i % 4 === 0
              ? store.appendBatch([{ event_type: 'batch.a' }, { event_type: 'batch.b' }])
              : store.append({ event_type: 'single', details: { i } }),
          ),
        );
        const seqs = appended.flat().map((e) => e.seq);
        assert.equal(new Set(seqs).size, 50);
        assert.deepEqual(await store.verify(), {
          ok: true,
          checked: 50,
          lastHash: (await store.query({ order: 'desc', limit: 1 }))[0]!.hash,
          broken: null,
        });
      }));

    test('appending an id again returns the stored event; with other content it is a conflict', () =>
      withStore(async ({ store }) => {
        const input = five()[0]!;
        const first = await store.append(input);
        assert.deepEqual(await store.append({ ...input, details: { ip: '10.0.0.0', n: 0 } }), first);
        await rejectsWith(
          store.append({ ...input, success: false }),
          'VIGIL_STORE_CONFLICT',
          /evt-1.*already stored \(event #1\)/,
        );
        await rejectsWith(
          store.appendBatch([{ event_type: 'fresh' }, { ...input, event_type: 'other' }]),
          'VIGIL_STORE_CONFLICT',
          /evt-1/,
        );
        assert.equal(await store.count(), 1);
        assert.equal((await store.verify()).ok, true);
      }));

    test('bad input is refused naming the field, and nothing stored is affected', () =>
      withStore(async ({ store }) => {
        const events = await store.appendBatch(five());
        const cycle: Record<string, unknown> = { a: 1 };
        cycle.self = cycle;
        const cases: [AuditEventInput, RegExp][] = [
          [{} as AuditEventInput, /^event_type is required/],
          [{ event_type: '' }, /^event_type is required/],
          [{ event_type: 'x', details: { cb: () => 1 } }, /^details\.cb is not JSON-serializable: a function/],
          [{ event_type: 'x', details: { n: 10n } }, /^details\.n is not JSON-serializable: a bigint/],
          [
            { event_type: 'x', details: { deep: [1, Number.POSITIVE_INFINITY] } },
            /^details\.deep\[1\] is not JSON-serializable/,
          ],
          [{ event_type: 'x', details: { at: new Date() } }, /^details\.at is not JSON-serializable: a Date/],
          [{ event_type: 'x', details: cycle }, /^details\.self is not JSON-serializable: .*cycle/],
          [{ event_type: 'x', details: [1] as unknown as Record<string, unknown> }, /^details must be a JSON object/],
          [{ event_type: 'x', ts: 'not a date' }, /^ts is not a valid date/],
          [{ event_type: 'x', ts: Number.NaN }, /^ts is not a valid date/],
          [{ event_type: 'x', ts: new Date('nope') }, /^ts is not a valid date/],
          [{ event_type: 'x', success: 'yes' as unknown as boolean }, /^success must be true or false/],
          [{ event_type: 'x', actor_user_id: 7 as unknown as string }, /^actor_user_id/],
        ];
        for (const [bad, message] of cases) await rejectsWith(store.append(bad), 'VIGIL_STORE_BAD_RECORD', message);
        await rejectsWith(
          store.appendBatch([{ event_type: 'ok' }, { event_type: 'x', ts: 'soon' }]),
          'VIGIL_STORE_BAD_RECORD',
          /^events\[1\]\.ts is not a valid date/,
        );
        await rejectsWith(
          store.appendBatch([
            { id: 'same', event_type: 'a' },
            { id: 'same', event_type: 'a' },
          ]),
          'VIGIL_STORE_BAD_RECORD',
          /events\[1\]\.id "same" appears twice/,
        );
        assert.deepEqual(await store.query(), events);
        assert.deepEqual(await store.verify(), { ok: true, checked: 5, lastHash: events[4]!.hash, broken: null });
      }));

    test('the chain continues after the store is reopened', async (t) => {
      const harness = await make({ now: () => T0 });
      try {
        if (harness.reopen === undefined) return t.skip('not a durable store');
        const before = await harness.store.appendBatch(five());
        const store = await harness.reopen();
        const next = await store.append({ event_type: 'after.restart' });
        assert.equal(next.seq, 6);
        assert.equal(next.prev_hash, before[4]!.hash);
        assert.deepEqual(await store.verify(), { ok: true, checked: 6, lastHash: next.hash, broken: null });
      } finally {
        await harness.close();
      }
    });
  });
}
