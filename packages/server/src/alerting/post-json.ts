// One HTTP(S) POST of a notification body, with the TLS settings of `tls_config` (CA, client certificate, server
// name, insecure_skip_verify) that fetch cannot take. Resolves to the status; rejects on a connection problem.

import http from 'node:http';
import https from 'node:https';
import { httpsOptions } from '../config/http-credentials.js';
import type { ScrapeTls } from '../scrape/fetch-exposition.js';

/** Posts `body`; resolves to the HTTP status once the answer is read. */
export function postJson(
  url: string,
  body: string,
  options: { headers: Record<string, string>; timeoutMs: number; tls?: ScrapeTls },
): Promise<number> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const tls = options.tls;
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      target,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': Buffer.byteLength(body) },
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(secure && tls ? httpsOptions(tls) : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
