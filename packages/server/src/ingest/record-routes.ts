import type { AuditEventInput, AuditStore, InvocationInput, InvocationStore, LogStore } from '@vigil/store';
import { StoreError } from '@vigil/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Refused, readBody } from './body.js';
import { logLineOf, splitLines } from './ndjson.js';
import { BadPayload } from './otlp/values.js';
import { failureOf, type OtlpRouteParts } from './otlp-routes.js';
import { writeAll } from './write.js';

/** What the record routes need, already resolved by `ingestRoutes`. */
export interface RecordRouteParts extends Omit<OtlpRouteParts, 'store' | 'samples'> {
  store: { logs: LogStore; invocations: InvocationStore; audit: AuditStore };
}

const KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * The SDK's sinks and plain log lines: POST /api/vigil/ingest/invocations (`{"invocations": [...]}`),
 * /api/vigil/ingest/audit (`{"audit": [...]}`) and /api/vigil/ingest/logs (NDJSON). Every 2xx is
 * sent after the SQLite transaction committed.
 */
export function recordRoutes(app: FastifyInstance, parts: RecordRouteParts): void {
  const { limits } = parts;
  const route =
    (name: string, handler: (req: FastifyRequest, body: Buffer) => Promise<Record<string, unknown>>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      let release: (() => void) | undefined;
      try {
        release = parts.admission.enter(Number(req.headers['content-length']));
        const answer = await handler(req, await readBody(req.raw, limits));
        parts.health.succeeded();
        const stored =
          Number(answer.inserted ?? answer.appended ?? answer.accepted ?? 0) + Number(answer.duplicates ?? 0);
        parts.observe({ route: name, status: 200, accepted: stored, rejected: Number(answer.rejected ?? 0) });
        return reply.code(200).send(answer);
      } catch (err) {
        const { status, message, retryAfter } = answerOf(err, parts, limits);
        if (status >= 500) parts.logger?.error({ err, url: req.url }, 'record ingest failed');
        if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
        parts.observe({ route: name, status, accepted: 0, rejected: 0 });
        return reply
          .code(status)
          .send(err instanceof StoreError && status < 500 ? { error: message, code: err.code } : { error: message });
      } finally {
        release?.();
      }
    };

  app.post(
    '/api/vigil/ingest/invocations',
    route('invocations', async (req, body) => {
      const rows = batchOf(req, body, 'invocations', limits.maxRecordsPerRequest) as InvocationInput[];
      const { inserted, duplicates } = await parts.store.invocations.insertBatch(rows);
      return { inserted, duplicates };
    }),
  );

  app.post(
    '/api/vigil/ingest/audit',
    route('audit', async (req, body) => {
      const events = batchOf(req, body, 'audit', limits.maxRecordsPerRequest) as AuditEventInput[];
      for (const [i, event] of events.entries()) {
        // The service computes the chain; an event without id or time could not be stored once on retry.
        if (typeof event?.id !== 'string' || event.ts === undefined) {
          throw new BadPayload(
            `audit[${i}] must carry its id and ts (the SDK's AuditRecord), so a retry stores it once`,
          );
        }
      }
      const stored = await parts.store.audit.appendBatch(events);
      const last = stored[stored.length - 1];
      return { appended: stored.length, last: last === undefined ? null : { seq: last.seq, hash: last.hash } };
    }),
  );

  app.post(
    '/api/vigil/ingest/logs',
    route('ndjson', async (req, body) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!['application/x-ndjson', 'application/jsonl', 'application/json', 'text/plain', ''].includes(type)) {
        throw new Refused(415, `Content-Type must be application/x-ndjson (one JSON log line per line), got "${type}"`);
      }
      const lines = splitLines(body.toString('utf8'));
      if (lines.length > limits.maxRecordsPerRequest) {
        throw new Refused(
          413,
          `the body holds ${lines.length} lines, more than the limit of ${limits.maxRecordsPerRequest} per request`,
        );
      }
      const options = {
        limits,
        service: headerText(req, 'x-vigil-service', 256),
        idPrefix: headerText(req, 'idempotency-key', 128),
        now: parts.now,
      };
      const records = lines.map((line, i) => logLineOf(line, i, options));
      const written = await writeAll(records, (batch) => parts.store.logs.insertBatch(batch));
      return {
        accepted: written.inserted,
        duplicates: written.duplicates,
        rejected: written.rejected,
        errors: written.errors,
      };
    }),
  );
}

/** The answer to a failed request: a bad record 400, a changed audit event 409, else as the OTLP routes answer. */
function answerOf(err: unknown, parts: RecordRouteParts, limits: RecordRouteParts['limits']) {
  if (err instanceof StoreError && (err.code === 'VIGIL_STORE_BAD_RECORD' || err.code === 'VIGIL_STORE_BAD_QUERY')) {
    return { status: 400, message: err.message };
  }
  if (err instanceof StoreError && err.code === 'VIGIL_STORE_CONFLICT') return { status: 409, message: err.message };
  return failureOf(err, parts, limits);
}

/** The array under `key` of a JSON body `{"<key>": [...]}`, within the per-request limit. */
function batchOf(req: FastifyRequest, body: Buffer, key: string, max: number): unknown[] {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    throw new Refused(415, `Content-Type must be application/json, got "${type || '(none)'}"`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new BadPayload(`the JSON body does not parse: ${(err as Error).message}`);
  }
  const list = (parsed as Record<string, unknown> | null)?.[key];
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(list)) {
    throw new BadPayload(`the body must be {"${key}": [...]}`);
  }
  if (list.length > max)
    throw new Refused(413, `the body holds ${list.length} ${key} records, more than the limit of ${max} per request`);
  return list;
}

function headerText(req: FastifyRequest, name: string, max: number): string | null {
  const value = req.headers[name];
  if (typeof value !== 'string' || value === '') return null;
  if (value.length > max || !KEY.test(value.replace(/ /g, '_')))
    throw new BadPayload(`header ${name} must be 1..${max} printable characters`);
  return value;
}
