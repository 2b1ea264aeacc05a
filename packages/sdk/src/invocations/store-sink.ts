import { BatchingSink, type BatchOptions, type PartialDelivery } from './batching-sink.js';
import type { InvocationRow } from './row.js';

/** A row as a store takes it: `cost_usd` is left out when unknown rather than null. */
export type StoredInvocation = Omit<InvocationRow, 'cost_usd'> & { cost_usd?: number };

/**
 * What the store sink writes into: `@vigil/store`'s `InvocationStore` (SQLite or PostgreSQL)
 * satisfies it as it is, so the SDK needs no import of the store. `insertBatch` must be
 * idempotent by `id`.
 */
export interface InvocationWriter {
  insertBatch(rows: readonly StoredInvocation[]): Promise<unknown>;
}

/** Options of `createStoreSink`. */
export interface StoreSinkOptions extends BatchOptions {
  /** The store, e.g. `(await openSqliteStore({ dir })).invocations`. */
  store: InvocationWriter;
}

/** A batching sink that inserts rows into a store (one transaction per batch). */
export function createStoreSink(options: StoreSinkOptions): BatchingSink {
  const store = options.store;
  return new BatchingSink({
    ...options,
    name: 'store',
    send: async (rows) => {
      const records = rows.map(stored);
      try {
        await store.insertBatch(records);
        return undefined;
      } catch (error) {
        if (records.length === 1) throw error;
        return oneByOne(store, records, error);
      }
    },
  });
}

/**
 * A store refuses a whole batch for one bad row: try the rows one at a time, so the good ones are
 * kept and only the bad ones dropped (a down store fails every try and the batch counts as failed).
 */
async function oneByOne(
  store: InvocationWriter,
  records: StoredInvocation[],
  batchError: unknown,
): Promise<PartialDelivery> {
  let rejected = 0;
  let first: unknown;
  for (const record of records) {
    try {
      await store.insertBatch([record]);
    } catch (error) {
      rejected++;
      first ??= error;
    }
  }
  if (rejected === records.length) throw batchError;
  return { rejected, error: first };
}

function stored(row: InvocationRow): StoredInvocation {
  if (row.cost_usd !== null) return row as StoredInvocation;
  const { cost_usd: _unknown, ...rest } = row;
  return rest;
}
