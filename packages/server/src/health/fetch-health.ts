import type { DetailedHealth } from '@vigil/sdk/health';
import { ServerError } from '../errors.js';

/** Where to read a service's detailed health: `<url>/health`, or the URL itself when it names a path. */
export function healthUrl(target: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(target) ? target : `http://${target}`);
  } catch {
    throw new ServerError('VIGIL_BAD_ARGUMENT', `"${target}" is not a URL or host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ServerError('VIGIL_BAD_ARGUMENT', `"${target}": only http and https are supported`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/health';
  return url;
}

/** Fetches the detailed health with the admin token; errors say what went wrong, never the token. */
export async function fetchHealth(url: URL, token: string | undefined, timeoutMs: number): Promise<DetailedHealth> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    const why =
      cause instanceof Error && cause.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : reason(cause);
    throw new ServerError('VIGIL_UNREACHABLE', `${url.href}: ${why}`, { cause });
  }
  if (res.status === 401 || res.status === 403) {
    throw new ServerError(
      'VIGIL_UNAUTHORIZED',
      `${url.href}: ${res.status} — pass an admin token with --token or VIGIL_ADMIN_TOKEN`,
    );
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ServerError('VIGIL_BAD_RESPONSE', `${url.href}: answered ${res.status} with a body that is not JSON`);
  }
  if (!isHealth(body)) {
    throw new ServerError('VIGIL_BAD_RESPONSE', `${url.href}: answered ${res.status} without a detailed health body`);
  }
  return body;
}

function isHealth(body: unknown): body is DetailedHealth {
  const b = body as Partial<DetailedHealth> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    (b.status === 'ok' || b.status === 'degraded' || b.status === 'down') &&
    Array.isArray(b.components)
  );
}

function reason(cause: unknown): string {
  const code = (cause as { cause?: { code?: string } })?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host not found';
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}
