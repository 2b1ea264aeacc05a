import type { Dispatcher } from 'undici';
import { outgoingHeaders } from './headers.js';

type Headers = Dispatcher.DispatchOptions['headers'];

/**
 * An undici interceptor that adds `X-Request-ID` and `traceparent` from the current context:
 * `new Agent().compose(correlationInterceptor())`, or `setGlobalDispatcher(...)` for all of fetch.
 */
export function correlationInterceptor(requestIdHeader = 'x-request-id'): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    const extra = outgoingHeaders(requestIdHeader);
    if (extra.length === 0) return dispatch(options, handler);
    return dispatch({ ...options, headers: withHeaders(options.headers, extra) }, handler);
  };
}

/** undici accepts headers as a record, a flat [name, value, ...] array, or an iterable of pairs. */
function withHeaders(headers: Headers, extra: Array<[string, string]>): Headers {
  const pairs: Array<[string, string | string[]]> = [];
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), headers[i + 1] as string]);
  } else if (headers != null && typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [name, value] of headers as Iterable<[string, string | string[]]>) pairs.push([name, value]);
  } else if (headers != null) {
    for (const [name, value] of Object.entries(headers))
      if (value !== undefined) pairs.push([name, value as string | string[]]);
  }
  const present = new Set(pairs.map(([name]) => name.toLowerCase()));
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const seen = out[name];
    out[name] = seen === undefined ? value : [seen, value].flat();
  }
  for (const [name, value] of extra) if (!present.has(name)) out[name] = value;
  return out;
}
