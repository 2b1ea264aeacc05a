import type { JsonValue, SpanInput, SpanKind, SpanStatus } from '@vigil/store';
import { type Converted, correlationOf, Refusals } from './convert.js';
import {
  attributes,
  BadRecord,
  child,
  enumValue,
  id,
  list,
  nanosToMillis,
  resourceOf,
  text,
  truncate,
  type ValueLimits,
} from './values.js';

const KINDS: SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const KIND_NAMES = KINDS.map((k) => `SPAN_KIND_${k.toUpperCase()}`);
const STATUSES: SpanStatus[] = ['unset', 'ok', 'error'];
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/**
 * The spans of an ExportTraceServiceRequest (decoded protobuf or parsed JSON). A span with a
 * missing or malformed id, a missing name or an end before its start is refused and counted; the
 * others are kept. Throws BadPayload when the request's structure itself is wrong.
 */
export function spansOf(request: Record<string, unknown>, limits: ValueLimits): Converted<SpanInput> {
  const records: SpanInput[] = [];
  const refusals = new Refusals();
  list(request, 'resourceSpans', 'request').forEach((rs, r) => {
    const at = `resourceSpans[${r}]`;
    const resource = resourceOf(rs, at, limits);
    list(rs, 'scopeSpans', at).forEach((ss, s) => {
      const scope = child(ss, 'scope', `${at}.scopeSpans[${s}]`);
      const scopeName = scope === undefined ? null : text(scope, 'name', `${at}.scopeSpans[${s}].scope`) || null;
      list(ss, 'spans', `${at}.scopeSpans[${s}]`).forEach((span, i) => {
        const path = `${at}.scopeSpans[${s}].spans[${i}]`;
        try {
          records.push(spanOf(span, path, limits, resource, scopeName));
        } catch (err) {
          if (!(err instanceof BadRecord)) throw err;
          refusals.add(err.message);
        }
      });
    });
  });
  return { records, rejected: refusals.rejected, errors: refusals.errors };
}

function spanOf(
  span: Record<string, unknown>,
  path: string,
  limits: ValueLimits,
  resource: { service: string | null; attributes: Record<string, JsonValue> },
  scope: string | null,
): SpanInput {
  const traceId = id(span, 'traceId', path, 16);
  const spanId = id(span, 'spanId', path, 8);
  if (traceId === null) throw new BadRecord(`${path}.traceId is missing or all zeros`);
  if (spanId === null) throw new BadRecord(`${path}.spanId is missing or all zeros`);
  const name = text(span, 'name', path);
  if (name === '') throw new BadRecord(`${path}.name is empty`);
  const start = nanosToMillis(span, 'startTimeUnixNano', path);
  const end = nanosToMillis(span, 'endTimeUnixNano', path);
  if (start === 0) throw new BadRecord(`${path}.startTimeUnixNano is missing`);
  if (end !== 0 && end < start) throw new BadRecord(`${path}.endTimeUnixNano is before startTimeUnixNano`);
  const attrs: Record<string, JsonValue> = {};
  const over = attributes(span, 'attributes', path, limits, attrs);
  if (over > 0) attrs['vigil.dropped_attributes_count'] = over;
  const status = child(span, 'status', path);
  const code = status === undefined ? 0 : enumValue(status, 'code', `${path}.status`, STATUS_NAMES);
  const kind = enumValue(span, 'kind', path, KIND_NAMES);
  return {
    trace_id: traceId,
    span_id: spanId,
    parent_span_id: id(span, 'parentSpanId', path, 8),
    ts: start,
    duration_ms: end === 0 ? 0 : Math.round((end - start) * 1000) / 1000,
    name: truncate(name, { ...limits, maxStringLength: Math.min(limits.maxStringLength, 1024) }),
    kind: KINDS[kind] ?? 'unspecified',
    service: resource.service,
    status: STATUSES[code] ?? 'unset',
    status_message: status === undefined ? null : text(status, 'message', `${path}.status`).slice(0, 4096) || null,
    correlation_id: correlationOf(attrs),
    scope,
    attributes: attrs,
    events: list(span, 'events', path)
      .slice(0, limits.maxAttributes)
      .map((event, e) => {
        const at = `${path}.events[${e}]`;
        const eventAttrs: Record<string, JsonValue> = {};
        attributes(event, 'attributes', at, limits, eventAttrs);
        return {
          ts: nanosToMillis(event, 'timeUnixNano', at) || start,
          name: text(event, 'name', at) || '(unnamed)',
          attributes: eventAttrs,
        };
      }),
    links: list(span, 'links', path)
      .slice(0, limits.maxAttributes)
      .flatMap((link, l) => {
        const at = `${path}.links[${l}]`;
        const linkTrace = id(link, 'traceId', at, 16);
        const linkSpan = id(link, 'spanId', at, 8);
        if (linkTrace === null || linkSpan === null) return [];
        const linkAttrs: Record<string, JsonValue> = {};
        attributes(link, 'attributes', at, limits, linkAttrs);
        return [{ trace_id: linkTrace, span_id: linkSpan, attributes: linkAttrs }];
      }),
    resource: resource.attributes,
  };
}
