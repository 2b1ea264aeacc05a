import { batchPoster, type HttpDeliveryOptions } from '../delivery/http-batch.js';
import { BatchingSink, type BatchOptions } from './batching-sink.js';
import type { InvocationRow } from './row.js';

/** Options of `createHttpSink`: where and how batches are POSTed, and the queue's bounds. */
export interface HttpSinkOptions extends BatchOptions, HttpDeliveryOptions {}

/** What one POST carries: `{"invocations": [row, ...]}`. Rows are idempotent by `id`; the batch by `Idempotency-Key`. */
export interface InvocationBatchBody {
  invocations: InvocationRow[];
}

/**
 * A batching sink that POSTs rows as JSON to the Vigil service (`batchPoster`: retries with
 * backoff and jitter under one `Idempotency-Key`; other 4xx answers drop the batch).
 */
export function createHttpSink(options: HttpSinkOptions): BatchingSink {
  return new BatchingSink({ ...options, name: 'http', send: httpPoster(options) });
}

/** The function that delivers one batch of rows, with its retries (exported for tests of its own). */
export function httpPoster(options: HttpSinkOptions): (rows: InvocationRow[]) => Promise<undefined> {
  const post = batchPoster<InvocationRow>(options, { bodyKey: 'invocations', owner: 'http sink', noun: 'the batch' });
  return async (rows) => {
    await post(rows);
    return undefined;
  };
}
