import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AuditRecord } from '../../src/audit/index.js';
import { onLoopback } from './loopback.js';
import type { Answer } from './recording-sinks.js';

/** What the receiver does with the events of one accepted POST (the service would append them to its store). */
export type Accept = (events: AuditRecord[]) => Promise<void> | void;

/**
 * A loopback stand-in for the Vigil service's audit endpoint: keeps each event once by id (or
 * hands the batch to `accept`), answers by script, and records every request it got.
 */
export async function auditReceiver(script: Answer[] = [], accept?: Accept) {
  const events = new Map<string, AuditRecord>();
  const requests: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { audit: AuditRecord[] };
    requests.push({ headers: req.headers, body });
    const answer = script.shift() ?? 200;
    if (answer === 'hang') return;
    // Store first, as a server whose answer is lost on the way back would: the retry must not duplicate.
    if (accept !== undefined) await accept(body.audit);
    else for (const event of body.audit) if (!events.has(event.id)) events.set(event.id, event);
    const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ stored: body.audit.length }));
  }).listen(0, '127.0.0.1');
  const served = await onLoopback(server);
  return { url: `${served.url}/api/vigil/audit`, events, requests, close: served.close };
}

/** The parts of `@vigil/store`'s SQLite store the audit tests use. */
export interface SqliteAuditDatabase {
  audit: {
    appendBatch(events: readonly object[]): Promise<unknown>;
    query(filter?: object): Promise<Record<string, unknown>[]>;
    verify(): Promise<{ ok: boolean; checked: number; broken: unknown }>;
  };
  close(): Promise<void>;
}

/** `@vigil/store/sqlite` when it is built (an optional peer of the SDK, so it is loaded by name at run time). */
export async function loadSqliteStore(): Promise<
  { openSqliteStore(path: string): Promise<SqliteAuditDatabase> } | undefined
> {
  const name: string = '@vigil/store/sqlite';
  try {
    return (await import(name)) as { openSqliteStore(path: string): Promise<SqliteAuditDatabase> };
  } catch {
    return undefined;
  }
}
