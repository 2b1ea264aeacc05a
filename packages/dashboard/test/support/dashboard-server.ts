// What the Vigil service will do for the dashboard, in small: serve the built files (through serveDashboard),
// require the admin token on /api, proxy /api/v1/* to a Prometheus and a target's /health for component health.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { serveDashboard } from '../../src/index.js';
import type { RecordsApi } from './records-api.js';

/** A running test server. */
export interface DashboardServer {
  url: string;
  /** Changes the admin token the API accepts (a running dashboard then gets 401s). */
  setToken(token: string): void;
  /** Sends one change event to every open `/api/vigil/events` stream; how many streams got it. */
  push(): number;
  /** How many API requests have asked for `path` (query string ignored). */
  requests(path: string): number;
  close(): Promise<void>;
}

/** Options of the test server. */
export interface DashboardServerOptions {
  prometheusUrl: string;
  token: string;
  /** Token the proxy sends to the scraped services' `/health`. */
  targetToken: string;
  /** Route prefixes answered 404, as a service that does not have them yet. */
  missing?: string[];
  /** Answers the `/api/vigil/...` record routes (logs, audit, invocation summary). */
  records?: RecordsApi;
}

/** Starts the server on a free loopback port. */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  let token = options.token;
  const streams = new Set<ServerResponse>();
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', errorType: 'proxy', error: String(error) }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    if (url.startsWith('/api/')) {
      if (req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
        res.end(JSON.stringify({ status: 'error', errorType: 'unauthorized', error: 'admin token required' }));
        return;
      }
      if (options.missing?.some((prefix) => url.startsWith(prefix))) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Route not found"}');
        return;
      }
      if (url.startsWith('/api/v1/')) return proxy(`${options.prometheusUrl}${url}`, req.headers.authorization, res);
      if (url.startsWith('/api/vigil/health?')) return proxyHealth(url, res);
      const records = await options.records?.answer(path, new URL(url, 'http://x').searchParams);
      if (records !== undefined) {
        res.writeHead(records.status, { 'content-type': 'application/json' }).end(JSON.stringify(records.body));
        return;
      }
      if (path === '/api/vigil/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        res.write(': connected\n\n');
        streams.add(res);
        res.on('close', () => streams.delete(res));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Route not found"}');
      return;
    }
    const encoding = req.headers['accept-encoding'];
    const answer = req.method === 'GET' || req.method === 'HEAD' ? serveDashboard(url, encoding) : undefined;
    if (answer === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(answer.status, answer.headers).end(req.method === 'HEAD' ? undefined : answer.body);
  }

  async function proxyHealth(url: string, res: ServerResponse): Promise<void> {
    const target = new URL(url, 'http://x').searchParams.get('target') ?? '';
    const health = new URL('/health', target);
    const answer = await fetch(health, {
      headers: { authorization: `Bearer ${options.targetToken}` },
      signal: AbortSignal.timeout(5000),
    });
    const body = await answer.text();
    const isReport = (answer.status === 200 || answer.status === 503) && body.startsWith('{');
    if (isReport) {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
    } else {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ status: 'error', errorType: 'no_health', error: `${health} answered ${answer.status}` }),
      );
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    setToken: (next) => {
      token = next;
    },
    push: () => {
      for (const stream of streams) stream.write('event: change\ndata: {}\n\n');
      return streams.size;
    },
    requests: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Forwards a GET; the bearer goes along, so the upstream may be a Vigil service with the same token. */
async function proxy(url: string, authorization: string | undefined, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  const answer = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
  const body = Buffer.from(await answer.arrayBuffer());
  res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
  res.end(body);
}
