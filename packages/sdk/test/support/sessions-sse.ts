import { type ClientRequest, type IncomingMessage, request } from 'node:http';

/** One server-sent frame: an event (with id and data) or a comment. */
export interface SseFrame {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

/** A minimal EventSource over node:http that keeps every frame, for assertions. */
export class SseClient {
  readonly frames: SseFrame[] = [];
  readonly #req: ClientRequest;
  readonly #res: IncomingMessage;
  #buffer = '';
  #waiters: { match: (f: SseFrame) => boolean; resolve: (f: SseFrame) => void }[] = [];

  private constructor(req: ClientRequest, res: IncomingMessage) {
    this.#req = req;
    this.#res = res;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => this.#feed(chunk));
  }

  /** Opens a stream; rejects with the status and body when it is not a 200 event stream. */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        if (res.statusCode === 200) return resolve(new SseClient(req, res));
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          reject(
            Object.assign(new Error(`status ${res.statusCode}`), {
              status: res.statusCode,
              body,
              headers: res.headers,
            }),
          ),
        );
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The content type the server answered with. */
  get contentType(): string | undefined {
    return this.#res.headers['content-type'];
  }

  /** The events received so far (comments left out). */
  get events(): SseFrame[] {
    return this.frames.filter((f) => f.event !== undefined);
  }

  /** Resolves with the first frame, already received or still to come, that matches. */
  waitFor(match: (f: SseFrame) => boolean): Promise<SseFrame> {
    const found = this.frames.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** Resolves once `count` events have arrived. */
  async waitForEvents(count: number): Promise<SseFrame[]> {
    let seen = 0;
    await this.waitFor((f) => f.event !== undefined && ++seen >= count);
    return this.events;
  }

  /** Hangs up. */
  close(): void {
    this.#req.destroy();
  }

  #feed(chunk: string): void {
    this.#buffer += chunk;
    let end = this.#buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      for (const frame of parse(block)) this.#push(frame);
      end = this.#buffer.indexOf('\n\n');
    }
  }

  #push(frame: SseFrame): void {
    this.frames.push(frame);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.match(frame)) return true;
      w.resolve(frame);
      return false;
    });
  }
}

function parse(block: string): SseFrame[] {
  const frames: SseFrame[] = [];
  const event: SseFrame = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frames.push({ comment: line.slice(1).trim() });
    else {
      const colon = line.indexOf(':');
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event' || field === 'id' || field === 'data') event[field] = value;
    }
  }
  if (event.event !== undefined || event.data !== undefined) frames.push(event);
  return frames;
}
