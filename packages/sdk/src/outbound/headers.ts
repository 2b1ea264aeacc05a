import { context } from '../context/context.js';
import { formatTraceparent } from '../context/ids.js';

/** The headers an outgoing call carries from the current context: X-Request-ID, traceparent, tracestate. */
export function outgoingHeaders(requestIdHeader = 'x-request-id'): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const id = context.get().correlation_id;
  if (typeof id === 'string' && id !== '') out.push([requestIdHeader, id]);
  const trace = context.trace();
  if (trace !== undefined) {
    out.push(['traceparent', formatTraceparent(trace)]);
    if (trace.state !== undefined) out.push(['tracestate', trace.state]);
  }
  return out;
}
