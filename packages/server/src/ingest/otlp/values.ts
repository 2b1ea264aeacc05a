import type { JsonValue } from '@vigil/store';

/** The payload cannot be read at all: the whole request is refused (400) with this message. */
export class BadPayload extends Error {
  override name = 'BadPayload';
}

/** One record is invalid: it is refused (counted in `partial_success`), the rest are kept. */
export class BadRecord extends Error {
  override name = 'BadRecord';
}

/** How far attribute values are trusted: OpenTelemetry's attribute limits, applied by the receiver. */
export interface ValueLimits {
  /** Attributes kept per record (the first ones); the rest are dropped and counted. */
  maxAttributes: number;
  /** Characters kept of a string value (and of a log body); longer ones are truncated. */
  maxStringLength: number;
  /** Nesting of arrays and key-value lists; deeper values refuse their record. */
  maxDepth: number;
}

type Obj = Record<string, unknown>;
const own = Object.hasOwn;

/** `obj[key]` when it was set (protobuf messages keep defaults on the prototype, so they read as unset). */
export function field(obj: Obj, key: string): unknown {
  return own(obj, key) ? obj[key] : undefined;
}

/** A repeated field: [] when absent; BadPayload when it is not a list. */
export function list(obj: Obj, key: string, path: string): Obj[] {
  const value = field(obj, key);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BadPayload(`${path}.${key} must be an array`);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'object' || value[i] === null)
      throw new BadPayload(`${path}.${key}[${i}] must be an object`);
  }
  return value as Obj[];
}

/** A message field: undefined when absent; BadPayload when it is not an object. */
export function child(obj: Obj, key: string, path: string): Obj | undefined {
  const value = field(obj, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new BadPayload(`${path}.${key} must be an object`);
  return value as Obj;
}

/** A string field: '' when absent. */
export function text(obj: Obj, key: string, path: string): string {
  const value = field(obj, key);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new BadPayload(`${path}.${key} must be a string`);
  return value;
}

/** An enum or int32 field: a number, or (OTLP/JSON receivers are lenient) one of `names`. */
export function enumValue(obj: Obj, key: string, path: string, names: readonly string[] = []): number {
  const value = field(obj, key);
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const at = names.indexOf(value);
    if (at >= 0) return at;
    if (/^-?\d+$/.test(value)) return Number(value);
  }
  throw new BadPayload(`${path}.${key} must be an integer enum value`);
}

/** A boolean field. */
export function bool(obj: Obj, key: string, path: string): boolean {
  const value = field(obj, key);
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new BadPayload(`${path}.${key} must be true or false`);
  return value;
}

/** A double field (OTLP/JSON may write NaN and the infinities as strings). */
export function double(obj: Obj, key: string, path: string): number | undefined {
  const value = field(obj, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new BadPayload(`${path}.${key} must be a number`);
}

/** A 64-bit integer as a bigint: protobufjs's Long, a JSON string of digits or a JSON number. */
export function int64(value: unknown, path: string, unsigned: boolean): bigint {
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) {
    const long = value as { low: number; high: number };
    const bits = (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0);
    return unsigned ? bits : BigInt.asIntN(64, bits);
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) return BigInt(value);
  if (typeof value === 'bigint') return value;
  throw new BadPayload(`${path} must be a 64-bit integer (a number or a string of digits)`);
}

/** A fixed64 nanosecond time field as epoch milliseconds with a microsecond fraction; 0 when unset. */
export function nanosToMillis(obj: Obj, key: string, path: string): number {
  const value = field(obj, key);
  if (value === undefined || value === null || value === 0 || value === '0') return 0;
  // Float arithmetic, not BigInt: a double holds today's nanoseconds to within 256 ns, and the
  // result is kept to the microsecond. This runs for every span, event and log record.
  let ns: number;
  if (typeof value === 'object' && 'low' in value && 'high' in value) {
    const long = value as { low: number; high: number };
    ns = (long.high >>> 0) * 4294967296 + (long.low >>> 0);
  } else if (typeof value === 'string' && /^\d{1,20}$/.test(value)) {
    ns = Number(value);
  } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    ns = value;
  } else {
    ns = Number(int64(value, `${path}.${key}`, true));
  }
  return Math.round(ns / 1000) / 1000;
}

/** A counter field (fixed64/uint64) as a number. */
export function count(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  return Number(int64(value, path, true));
}

const HEX = /^[0-9a-fA-F]*$/;

/**
 * A trace or span id as lowercase hex: bytes from protobuf, hex from OTLP/JSON. Absent, empty or
 * all-zero ids are null; a wrong length is a BadRecord.
 */
export function id(obj: Obj, key: string, path: string, bytes: 16 | 8): string | null {
  const value = field(obj, key);
  if (value === undefined || value === null) return null;
  let hex: string;
  if (value instanceof Uint8Array) {
    if (value.length === 0) return null;
    if (value.length !== bytes) throw new BadRecord(`${path}.${key} must be ${bytes} bytes, got ${value.length}`);
    hex = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  } else if (typeof value === 'string') {
    if (value === '') return null;
    if (value.length !== bytes * 2 || !HEX.test(value)) {
      throw new BadRecord(`${path}.${key} must be ${bytes * 2} hex digits, got ${JSON.stringify(value.slice(0, 40))}`);
    }
    hex = value.toLowerCase();
  } else {
    throw new BadPayload(`${path}.${key} must be bytes (protobuf) or a hex string (JSON)`);
  }
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 48) return hex;
  return null;
}

/** A string cut to the limit (OpenTelemetry truncates over-long attribute values rather than refusing them). */
export function truncate(value: string, limits: ValueLimits): string {
  return value.length > limits.maxStringLength ? value.slice(0, limits.maxStringLength) : value;
}

/** An AnyValue as JSON: int64 beyond 2^53 and non-finite doubles as strings, bytes as base64. */
export function anyValue(value: Obj | undefined, path: string, limits: ValueLimits, depth = 0): JsonValue {
  if (value === undefined) return null;
  if (depth > limits.maxDepth) throw new BadRecord(`${path} is nested deeper than ${limits.maxDepth} levels`);
  if (own(value, 'stringValue')) return truncate(text(value, 'stringValue', path), limits);
  if (own(value, 'boolValue')) return bool(value, 'boolValue', path);
  if (own(value, 'intValue')) {
    const raw = value.intValue;
    if (typeof raw === 'number' && Number.isSafeInteger(raw)) return raw;
    const n = int64(raw, `${path}.intValue`, false);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
  }
  if (own(value, 'doubleValue')) {
    const d = double(value, 'doubleValue', path) as number;
    return Number.isFinite(d) ? d : String(d);
  }
  if (own(value, 'arrayValue')) {
    const array = child(value, 'arrayValue', path) ?? {};
    const values = list(array, 'values', `${path}.arrayValue`);
    return values.map((v, i) => anyValue(v, `${path}.arrayValue.values[${i}]`, limits, depth + 1));
  }
  if (own(value, 'kvlistValue')) {
    const kvlist = child(value, 'kvlistValue', path) ?? {};
    const out: Record<string, JsonValue> = {};
    attributes(kvlist, 'values', `${path}.kvlistValue`, limits, out, depth + 1);
    return out;
  }
  if (own(value, 'bytesValue')) {
    const bytes = value.bytesValue;
    if (bytes instanceof Uint8Array) return Buffer.from(bytes).toString('base64');
    if (typeof bytes === 'string') return bytes;
    throw new BadPayload(`${path}.bytesValue must be bytes`);
  }
  return null;
}

/**
 * Reads a repeated KeyValue field into `out`, keeping the first `maxAttributes` keys and
 * truncating long strings; returns how many were dropped over the limit.
 */
export function attributes(
  obj: Obj,
  key: string,
  path: string,
  limits: ValueLimits,
  out: Record<string, JsonValue>,
  depth = 0,
): number {
  const kvs = list(obj, key, path);
  let dropped = 0;
  let kept = Object.keys(out).length;
  for (let i = 0; i < kvs.length; i++) {
    const kv = kvs[i]!;
    const name = text(kv, 'key', `${path}.${key}[${i}]`);
    if (!(name in out) && kept >= limits.maxAttributes) {
      dropped++;
      continue;
    }
    if (!(name in out)) kept++;
    out[truncate(name, limits)] = anyValue(
      child(kv, 'value', `${path}.${key}[${i}]`),
      `${path}.${key}[${i}].value`,
      limits,
      depth,
    );
  }
  return dropped;
}

/** A resource's attributes, and its service.name apart. */
export function resourceOf(
  obj: Obj,
  path: string,
  limits: ValueLimits,
): { service: string | null; attributes: Record<string, JsonValue> } {
  const resource = child(obj, 'resource', path);
  const attrs: Record<string, JsonValue> = {};
  if (resource !== undefined) attributes(resource, 'attributes', `${path}.resource`, limits, attrs);
  const name = attrs['service.name'];
  delete attrs['service.name'];
  return { service: typeof name === 'string' && name !== '' ? name : null, attributes: attrs };
}
