import http from 'node:http';
import https from 'node:https';
import { authorizationHeader, httpsOptions, tlsMaterial } from '../config/http-credentials.js';
import type { RemoteWriteConfig } from '../config/types.js';
import { REMOTE_WRITE_HEADERS } from './wire.js';

/** What one POST got back. */
export interface WriteAnswer {
  status: number;
  /** Retry-After in ms, when the answer had one. */
  retryAfterMs: number | undefined;
  /** The start of the body, for logs. */
  text: string;
}

/** A remote write URL with its headers, credentials, TLS material and a keep-alive agent, resolved once. */
export class RemoteEndpoint {
  readonly url: URL;
  readonly #headers: Record<string, string>;
  readonly #agent: http.Agent;
  readonly #timeoutMs: number;

  /** Reads credential and TLS files now: a missing one is VIGIL_BAD_CONFIG naming it. */
  constructor(config: RemoteWriteConfig) {
    this.url = new URL(config.url);
    this.#timeoutMs = config.remoteTimeout;
    this.#headers = {
      ...config.headers,
      ...authorizationHeader(config.http, `remote_write ${config.name ?? config.url}`),
      ...REMOTE_WRITE_HEADERS,
      'user-agent': 'Vigil-remote-write',
    };
    const tls = tlsMaterial(config.http, `remote_write ${config.name ?? config.url}`) ?? {};
    this.#agent =
      this.url.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, ...httpsOptions(tls) })
        : new http.Agent({ keepAlive: true });
  }

  /** POSTs one encoded WriteRequest; rejects on a network error, a timeout (remote_timeout) or `signal`. */
  post(body: Buffer, signal: AbortSignal): Promise<WriteAnswer> {
    const send = this.url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const request = send(
        this.url,
        {
          method: 'POST',
          agent: this.#agent,
          headers: { ...this.#headers, 'content-length': String(body.length) },
          timeout: this.#timeoutMs,
          signal,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            if (size < 1024) chunks.push(chunk);
            size += chunk.length;
          });
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              retryAfterMs: retryAfterOf(response.headers['retry-after']),
              text: Buffer.concat(chunks).toString('utf8').slice(0, 512).trim(),
            }),
          );
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within remote_timeout ${this.#timeoutMs}ms`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.#agent.destroy();
  }
}

/** Retry-After as seconds or an HTTP date, in ms from now. */
export function retryAfterOf(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
