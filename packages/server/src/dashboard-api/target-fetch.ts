import type { ScrapeTarget } from '../scrape/target.js';

/** What reading a path of a scrape target gave: its status and JSON body, or why there is none. */
export type TargetAnswer =
  | { ok: true; status: number; body: unknown }
  | { ok: false; status: 502 | 504; error: string; notJson?: boolean };

/**
 * Where `path` lives on the target's own origin (scheme, host and port of its scrape URL), or
 * undefined for a target that is not http(s). Only ever built from an active target, never from
 * a URL the caller gave, so the service cannot be turned into a proxy to anywhere.
 */
export function targetUrl(target: ScrapeTarget, path: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return new URL(path, url.origin);
}

/**
 * GETs `url` with the caller's Authorization (one admin token for the fleet), within `timeoutMs`.
 * Redirects are not followed (they could lead off the target). A JSON body is answered whatever
 * the status; anything else says what went wrong, never the token.
 */
export async function fetchTargetJson(
  url: URL,
  authorization: string | undefined,
  timeoutMs: number,
): Promise<TargetAnswer> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json', ...(authorization === undefined ? {} : { authorization }) },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    if (cause instanceof Error && cause.name === 'TimeoutError') {
      return { ok: false, status: 504, error: `${url.href}: no answer within ${timeoutMs} ms` };
    }
    return { ok: false, status: 502, error: `${url.href}: ${reason(cause)}` };
  }
  let text: string;
  try {
    text = await res.text();
  } catch (cause) {
    return { ok: false, status: 502, error: `${url.href}: the answer broke off: ${reason(cause)}` };
  }
  try {
    return { ok: true, status: res.status, body: JSON.parse(text) };
  } catch {
    return {
      ok: false,
      status: 502,
      error: `${url.href}: answered ${res.status} with a body that is not JSON`,
      notJson: true,
    };
  }
}

function reason(cause: unknown): string {
  const code = (cause as { cause?: { code?: string } })?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host not found';
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}
