import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { HttpClientConfig, RemoteWriteConfig } from '../config/types.js';
import { ServerError } from '../errors.js';
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
      ...authorizationOf(config.http),
      ...REMOTE_WRITE_HEADERS,
      'user-agent': 'Vigil-remote-write',
    };
    const tls = config.http.tls;
    this.#agent =
      this.url.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ...(tls.caFile ? { ca: readFile(tls.caFile, 'tls_config.ca_file') } : {}),
            ...(tls.certFile ? { cert: readFile(tls.certFile, 'tls_config.cert_file') } : {}),
            ...(tls.keyFile ? { key: readFile(tls.keyFile, 'tls_config.key_file') } : {}),
            ...(tls.serverName ? { servername: tls.serverName } : {}),
            rejectUnauthorized: !tls.insecureSkipVerify,
          })
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

function authorizationOf(config: HttpClientConfig): Record<string, string> {
  if (config.authorization) {
    const { type, credentials, credentialsFile } = config.authorization;
    const secret = credentialsFile
      ? readFile(credentialsFile, 'authorization.credentials_file').toString('utf8').trim()
      : credentials;
    return secret ? { authorization: `${type} ${secret}` } : {};
  }
  if (config.basicAuth) {
    const { username, password, passwordFile } = config.basicAuth;
    const secret = passwordFile
      ? readFile(passwordFile, 'basic_auth.password_file').toString('utf8').trim()
      : (password ?? '');
    return { authorization: `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}` };
  }
  return {};
}

function readFile(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ServerError('VIGIL_BAD_CONFIG', `remote_write ${field} ${path}: cannot read it: ${why}`, {
      cause: error,
    });
  }
}
