// `/api/v1/query_range` over HTTP, timed from the request to the last byte of the answer, as a
// dashboard waits for it. No Accept-Encoding: both servers answer uncompressed JSON, so the time is
// the query and its serialization, not gzip.
import { Agent, request } from 'node:http';

/** One range query as both servers get it. */
export interface RangeQuery {
  expr: string;
  startMs: number;
  endMs: number;
  stepMs: number;
}

/** An answer and how long it took. */
export interface TimedAnswer {
  ms: number;
  body: Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** The query's URL path and parameters, times in seconds as Grafana sends them. */
function path(query: RangeQuery): string {
  const params = new URLSearchParams({
    query: query.expr,
    start: String(query.startMs / 1000),
    end: String(query.endMs / 1000),
    step: String(query.stepMs / 1000),
  });
  return `/api/v1/query_range?${params}`;
}

/** Sends `query` to `baseUrl` and resolves once the whole answer arrived; a non-200 answer throws. */
export function queryRange(baseUrl: string, query: RangeQuery): Promise<TimedAnswer> {
  const url = new URL(path(query), baseUrl);
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = request(url, { agent, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const body = Buffer.concat(chunks);
        if (res.statusCode !== 200) {
          reject(new Error(`${baseUrl} answered ${res.statusCode} to ${query.expr}: ${body.toString().slice(0, 500)}`));
        } else {
          resolve({ ms, body });
        }
      });
    });
    req.setTimeout(300_000, () => req.destroy(new Error(`${baseUrl}: no answer to ${query.expr} within 300 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Closes the kept-alive connections so the process can exit. */
export function closeConnections(): void {
  agent.destroy();
}
