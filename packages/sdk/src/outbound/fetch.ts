import { outgoingHeaders } from './headers.js';

/** The shape of `fetch`. */
export type Fetch = typeof globalThis.fetch;

/**
 * A `fetch` that adds `X-Request-ID` and `traceparent` from the current context to every
 * call; headers the caller set are left as they are.
 */
export function correlatedFetch(fetchImpl: Fetch = globalThis.fetch, requestIdHeader = 'x-request-id'): Fetch {
  return (input, init) => {
    const extra = outgoingHeaders(requestIdHeader);
    if (extra.length === 0) return fetchImpl(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    for (const [name, value] of extra) if (!headers.has(name)) headers.set(name, value);
    return fetchImpl(input, { ...init, headers });
  };
}
