import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminAuth } from '../auth/admin-auth.js';
import { VigilError } from '../errors.js';
import { unauthorized } from '../health/routes.js';
import { SESSION_EVENT_TYPES, type SessionEventMap, type SessionEventType } from './events.js';
import type { SessionRegistry } from './registry.js';
import { textProblem } from './validate.js';

/** Options of a SessionStream. */
export interface SessionStreamOptions {
  registry: SessionRegistry;
  /** Admin auth, required to subscribe. */
  auth: AdminAuth;
  /** A comment line keeps idle connections (and proxies) alive this often (default 15 s). */
  heartbeatMs?: number;
  /** A client with more than this many bytes not yet sent is too slow and is dropped (default 1 MiB). */
  maxBufferBytes?: number;
  /** Most clients at once; more get 503 (default 100). */
  maxClients?: number;
  /** The reconnection delay sent to EventSource clients (default 3 s). */
  retryMs?: number;
}

/** Counters of a SessionStream. */
export interface SessionStreamStats {
  clients: number;
  connected: number;
  dropped_slow: number;
  refused_full: number;
}

interface Client {
  res: ServerResponse;
  appId: string | undefined;
  sessionId: string | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const HEARTBEAT = ': heartbeat\n\n';

/**
 * Server-sent events of the registry's `metrics:*` events for live dashboards, on node:http
 * (GET `/admin/sessions/stream`, optionally `?app_id=` and `?session_id=`). One subscription to
 * the registry serves every client and each event is serialized once. Memory per client is
 * bounded: a client that lets `maxBufferBytes` pile up is dropped, never buffered further.
 */
export class SessionStream {
  readonly #registry: SessionRegistry;
  readonly #auth: AdminAuth;
  readonly #heartbeatMs: number;
  readonly #maxBuffer: number;
  readonly #maxClients: number;
  readonly #retryMs: number;
  readonly #clients = new Set<Client>();
  #unsubscribe: (() => void)[] = [];
  #heartbeat: NodeJS.Timeout | undefined;
  #seq = 0;
  #closed = false;
  readonly #counts = { connected: 0, dropped_slow: 0, refused_full: 0 };

  constructor(options: SessionStreamOptions) {
    this.#registry = options.registry;
    this.#auth = options.auth;
    this.#heartbeatMs = positive(options.heartbeatMs, 'heartbeatMs') ?? 15_000;
    this.#maxBuffer = positive(options.maxBufferBytes, 'maxBufferBytes') ?? 1024 * 1024;
    this.#maxClients = positive(options.maxClients, 'maxClients') ?? 100;
    this.#retryMs = positive(options.retryMs, 'retryMs') ?? 3000;
  }

  /** How many clients are connected. */
  get clients(): number {
    return this.#clients.size;
  }

  /** The stream's counters. */
  stats(): SessionStreamStats {
    return { clients: this.#clients.size, ...this.#counts };
  }

  /** Serves one request: 401 without admin auth, 400 on a bad filter, 503 when full, else the stream. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(await this.#auth.authorize(req.headers.authorization))) return send(res, unauthorized());
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const appId = query.get('app_id') ?? undefined;
    const sessionId = query.get('session_id') ?? undefined;
    const problem =
      (appId === undefined ? undefined : textProblem(appId, 'app_id')) ??
      (sessionId === undefined ? undefined : textProblem(sessionId, 'session_id'));
    if (problem !== undefined) return send(res, jsonResponse(400, { error: problem }));
    if (this.#closed) return send(res, jsonResponse(503, { error: 'the session stream is shut down' }));
    if (this.#clients.size >= this.#maxClients) {
      this.#counts.refused_full++;
      return send(res, jsonResponse(503, { error: 'too many stream clients' }));
    }
    if (res.destroyed || req.destroyed) return;
    const client: Client = { res, appId, sessionId };
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    req.socket.setNoDelay(true);
    res.on('close', () => this.#remove(client));
    this.#add(client);
    this.#counts.connected++;
    this.#write(client, `retry: ${this.#retryMs}\n: connected\n\n`);
  }

  /** Ends every stream, stops listening to the registry and refuses new clients (for shutdown). */
  close(): void {
    this.#closed = true;
    for (const client of [...this.#clients]) {
      this.#remove(client);
      client.res.end();
    }
  }

  #add(client: Client): void {
    this.#clients.add(client);
    if (this.#clients.size !== 1) return;
    this.#unsubscribe = SESSION_EVENT_TYPES.map((type) =>
      this.#registry.on(type, (payload) => this.#broadcast(type, payload)),
    );
    this.#heartbeat = setInterval(() => {
      for (const c of [...this.#clients]) this.#write(c, HEARTBEAT);
    }, this.#heartbeatMs).unref();
  }

  #remove(client: Client): void {
    if (!this.#clients.delete(client) || this.#clients.size > 0) return;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  #broadcast<K extends SessionEventType>(type: K, payload: SessionEventMap[K]): void {
    // Every payload names its app and session, so clients can filter on them.
    const { app_id: appId, session_id: sessionId } = payload as { app_id: string; session_id: string };
    let frame: string | undefined;
    for (const client of [...this.#clients]) {
      if (client.appId !== undefined && client.appId !== appId) continue;
      if (client.sessionId !== undefined && client.sessionId !== sessionId) continue;
      frame ??= `id: ${++this.#seq}\nevent: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;
      this.#write(client, frame);
    }
  }

  /** Writes, then drops the client if what it has not yet received is over the limit. */
  #write(client: Client, chunk: string): void {
    const { res } = client;
    if (res.destroyed) {
      this.#remove(client);
      return;
    }
    res.write(chunk);
    if (res.writableLength > this.#maxBuffer) {
      this.#counts.dropped_slow++;
      this.#remove(client);
      res.destroy();
    }
  }
}

function send(res: ServerResponse, response: { status: number; headers: Record<string, string>; body: string }): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

function jsonResponse(status: number, body: unknown) {
  return { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined || (Number.isFinite(value) && value > 0)) return value;
  throw new VigilError('VIGIL_BAD_OPTION', `SessionStream option "${name}" must be a number > 0 (got ${value})`);
}
