import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ActiveTarget } from './dashboard-api.js';

/** Options of `eventsRoute`. */
export interface EventsRouteOptions {
  active: () => readonly ActiveTarget[];
  /** How often the scrape state is looked at while someone listens (default 1 s). */
  checkMs?: number;
  /** A `data:` event at least this often even when no scrape finished, for records that came by ingest (default 15 s). */
  heartbeatMs?: number;
}

/**
 * GET /api/vigil/events: Server-Sent Events saying "something changed" — a `data:` event after a
 * scrape round finished (at most one per check) and at least every `heartbeatMs`. The dashboard
 * reloads its views on each. One timer serves every listener and runs only while there are some;
 * the streams end when the app closes.
 */
export async function eventsRoute(app: FastifyInstance, options: EventsRouteOptions): Promise<void> {
  const checkMs = options.checkMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const clients = new Set<ServerResponse>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let seen = latestScrape(options.active());
  let lastSent = Date.now();

  const send = (reason: string) => {
    lastSent = Date.now();
    const event = `data: {"reason":"${reason}"}\n\n`;
    for (const res of clients) res.write(event);
  };
  const check = () => {
    const latest = latestScrape(options.active());
    if (latest !== seen) {
      seen = latest;
      send('scrape');
    } else if (Date.now() - lastSent >= heartbeatMs) {
      send('heartbeat');
    }
  };
  const leave = (res: ServerResponse) => {
    clients.delete(res);
    if (clients.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  app.get('/api/vigil/events', async (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.write(`retry: 15000\n: connected\n\n`);
    clients.add(res);
    req.raw.on('close', () => leave(res));
    if (timer === undefined) {
      seen = latestScrape(options.active());
      timer = setInterval(check, checkMs);
      timer.unref();
    }
  });

  // Open streams would keep the server from closing.
  app.addHook('preClose', (done) => {
    for (const res of clients) res.end();
    clients.clear();
    clearInterval(timer);
    timer = undefined;
    done();
  });
}

function latestScrape(active: readonly ActiveTarget[]): number {
  let latest = 0;
  for (const { health } of active) if (health.lastScrape > latest) latest = health.lastScrape;
  return latest;
}
