import { batchPoster, type HttpDeliveryOptions } from '../delivery/http-batch.js';
import type { AuditRecord } from './event.js';
import type { AuditWriter } from './writer.js';

/** Options of `createHttpAuditWriter`: where and how batches are POSTed. */
export type HttpAuditWriterOptions = HttpDeliveryOptions;

/** What one POST carries: `{"audit": [event, ...]}`. Events are idempotent by `id`; the batch by `Idempotency-Key`. */
export interface AuditBatchBody {
  audit: AuditRecord[];
}

/**
 * An AuditWriter that POSTs events as JSON to the Vigil service, which computes the chain
 * (`batchPoster`: retries with backoff and jitter under one `Idempotency-Key`; every event
 * carries its id and time, so the service stores each once; other 4xx answers reject at once).
 */
export function createHttpAuditWriter(options: HttpAuditWriterOptions): AuditWriter {
  const post = batchPoster<AuditRecord>(options, {
    bodyKey: 'audit',
    owner: 'http audit writer',
    noun: 'the audit batch',
  });
  return { appendBatch: (events) => post(events) };
}
