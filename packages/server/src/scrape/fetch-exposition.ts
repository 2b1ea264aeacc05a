import http from 'node:http';
import https from 'node:https';
import { createGunzip } from 'node:zlib';
import { SCRAPE_ACCEPT_HEADER } from '@vigil/tsdb';
import { httpsOptions, type TlsMaterial } from '../config/http-credentials.js';

/** TLS options of a scrape (tls_config, files already read). */
export type ScrapeTls = TlsMaterial;

/** One HTTP GET of a target's exposition. */
export interface ExpositionRequest {
  url: string;
  timeoutMs: number;
  /** Extra headers: Authorization from bearer_token / basic_auth / authorization. */
  headers?: Record<string, string>;
  /** body_size_limit in bytes after decompression; 0 = none. */
  bodySizeLimit?: number;
  tls?: ScrapeTls;
  /** Follow up to 10 redirects (default true, as Prometheus's follow_redirects). */
  followRedirects?: boolean;
  /** Ask for a gzip body (default true). */
  gzip?: boolean;
}

/** What a target answered. */
export interface ExpositionResponse {
  body: string;
  contentType: string | undefined;
}

/** Why a scrape failed before parsing: the message is what /api/v1/targets shows as lastError. */
export class ScrapeFailure extends Error {
  override name = 'ScrapeFailure';
}

const USER_AGENT = 'Vigil/0.1.0 (Prometheus-compatible scraper)';

/**
 * GETs `url` as Prometheus does: its Accept header, gzip, `X-Prometheus-Scrape-Timeout-Seconds`,
 * the whole request bounded by the timeout and the body by `bodySizeLimit`. Rejects with a
 * ScrapeFailure saying what went wrong (status, timeout, size, connection).
 */
export async function fetchExposition(request: ExpositionRequest): Promise<ExpositionResponse> {
  const deadline = Date.now() + request.timeoutMs;
  let url = new URL(request.url);
  for (let hop = 0; ; hop++) {
    const answer = await getOnce(url, request, Math.max(1, deadline - Date.now()));
    if (!('redirect' in answer)) return answer;
    if (request.followRedirects === false) {
      throw new ScrapeFailure(
        `server returned HTTP status ${answer.status} (a redirect) and follow_redirects is false`,
      );
    }
    if (hop >= 10) throw new ScrapeFailure('stopped after 10 redirects');
    url = new URL(answer.redirect, url);
  }
}

type Answer = ExpositionResponse | { redirect: string; status: number };

function getOnce(url: URL, request: ExpositionRequest, timeoutMs: number): Promise<Answer> {
  const secure = url.protocol === 'https:';
  const headers: Record<string, string> = {
    accept: SCRAPE_ACCEPT_HEADER,
    'accept-encoding': request.gzip === false ? 'identity' : 'gzip',
    'user-agent': USER_AGENT,
    'x-prometheus-scrape-timeout-seconds': String(request.timeoutMs / 1000),
    ...request.headers,
  };
  const tls = request.tls;
  const options: https.RequestOptions = {
    method: 'GET',
    headers,
    signal: AbortSignal.timeout(timeoutMs),
    ...(secure && tls ? httpsOptions(tls) : {}),
  };
  const limit = request.bodySizeLimit ?? 0;
  return new Promise((resolve, reject) => {
    const fail = (message: string) => reject(new ScrapeFailure(message));
    const req = (secure ? https : http).request(url, options, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.resume();
        resolve({ redirect: location, status });
        return;
      }
      if (status !== 200) {
        res.resume();
        fail(`server returned HTTP status ${status} ${res.statusMessage ?? ''}`.trimEnd());
        return;
      }
      const gzip = res.headers['content-encoding'] === 'gzip';
      const stream = gzip ? res.pipe(createGunzip()) : res;
      const parts: Buffer[] = [];
      let size = 0;
      stream.on('data', (part: Buffer) => {
        size += part.length;
        if (limit > 0 && size > limit) {
          req.destroy();
          fail(`body size limit exceeded: more than ${limit} bytes (body_size_limit)`);
          return;
        }
        parts.push(part);
      });
      stream.on('error', (error: Error) => fail(gzip ? `gzip body: ${error.message}` : error.message));
      stream.on('end', () => {
        resolve({ body: Buffer.concat(parts, size).toString('utf8'), contentType: res.headers['content-type'] });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError' || error.name === 'TimeoutError') {
        fail(`context deadline exceeded: no complete answer within ${request.timeoutMs / 1000}s (scrape_timeout)`);
      } else {
        fail(connectionProblem(error, url));
      }
    });
    req.end();
  });
}

function connectionProblem(error: NodeJS.ErrnoException, url: URL): string {
  const where = url.host;
  switch (error.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `no such host: ${url.hostname}`;
    case 'ECONNRESET':
      return `connection reset by ${where}`;
    default:
      return `${where}: ${error.message}`;
  }
}
