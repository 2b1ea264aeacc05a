import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake target answers next; tests change it between scrapes. */
export interface Answer {
  status?: number;
  body: string;
  contentType?: string;
  gzip?: boolean;
  delayMs?: number;
}

/** A real HTTP server on loopback serving `answer` at any path; records request headers. */
export async function exposition(
  answer: Answer,
): Promise<{ server: Server; url: string; set(a: Answer): void; requests: IncomingMessage['headers'][] }> {
  const { gzipSync } = await import('node:zlib');
  let current = answer;
  const requests: IncomingMessage['headers'][] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.headers);
    const a = current;
    const send = () => {
      const headers: Record<string, string> = { 'content-type': a.contentType ?? 'text/plain; version=0.0.4' };
      let body: Buffer = Buffer.from(a.body);
      if (a.gzip) {
        headers['content-encoding'] = 'gzip';
        body = gzipSync(body);
      }
      res.writeHead(a.status ?? 200, headers).end(body);
    };
    if (a.delayMs) setTimeout(send, a.delayMs).unref();
    else send();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  return { server, url, set: (a) => (current = a), requests };
}
