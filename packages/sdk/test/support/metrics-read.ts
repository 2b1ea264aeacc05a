import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

/** One exposed sample: its name (with `_bucket`, `_sum`, ... for histograms), labels and value. */
export interface Sample {
  name: string;
  labels: Record<string, string | number>;
  value: number;
}

interface Readable {
  name?: string;
  metric: { get(): Promise<{ name: string; values: { labels: object; value: number; metricName?: string }[] }> };
}

/** Every sample a bounded metric holds right now. */
export async function samples(bounded: Readable): Promise<Sample[]> {
  const data = await bounded.metric.get();
  return data.values.map((v) => ({
    name: v.metricName ?? data.name,
    labels: { ...(v.labels as Record<string, string | number>) },
    value: v.value,
  }));
}

/** The value of the sample whose labels are exactly `labels` (and whose name is `name`, if given); undefined if none. */
export async function sampleValue(
  bounded: Readable,
  labels: Record<string, string | number>,
  name?: string,
): Promise<number | undefined> {
  const wanted = JSON.stringify(sorted(labels));
  for (const sample of await samples(bounded)) {
    if (name !== undefined && sample.name !== name) continue;
    if (JSON.stringify(sorted(sample.labels)) === wanted) return sample.value;
  }
  return undefined;
}

function sorted(labels: Record<string, unknown>): [string, string][] {
  return Object.entries(labels)
    .map(([k, v]) => [k, String(v)] as [string, string])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * Waits (bounded, 2 s) for something recorded just after a response reached the client: the
 * server records on the response's 'close', which may run a tick after the client has read it.
 */
export async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await sleep(5);
  }
  assert.fail(`timed out waiting for ${what}`);
}
