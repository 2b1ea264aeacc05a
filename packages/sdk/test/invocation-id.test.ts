import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newInvocationId } from '../src/recording/index.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Unix milliseconds in a UUIDv7's first 48 bits. */
function timeOf(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

test('invocation ids are UUIDs version 7 carrying their creation time', () => {
  const at = Date.parse('2026-11-23T16:00:00.123Z');
  const id = newInvocationId(at);
  assert.match(id, V7);
  assert.equal(timeOf(id), at);
  const now = Date.now();
  const current = newInvocationId();
  assert.ok(Math.abs(timeOf(current) - now) < 1000, 'without a time, the current one');
});

test('ids of later milliseconds sort after earlier ones, and 100,000 ids in one millisecond are distinct', () => {
  const at = Date.parse('2026-11-23T16:00:00Z');
  const ids = [at, at + 1, at + 1000, at + 86_400_000].map((t) => newInvocationId(t));
  assert.deepEqual([...ids].sort(), ids);
  const seen = new Set<string>();
  for (let i = 0; i < 100_000; i++) {
    const id = newInvocationId(at);
    assert.match(id, V7);
    seen.add(id);
  }
  assert.equal(seen.size, 100_000);
});

test('a time out of the 48-bit range is clamped, never a malformed id', () => {
  assert.match(newInvocationId(-5), V7);
  assert.equal(timeOf(newInvocationId(-5)), 0);
  assert.match(newInvocationId(2 ** 60), V7);
  assert.match(newInvocationId(Number.NaN), V7);
});
