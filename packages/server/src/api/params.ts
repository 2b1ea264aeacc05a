import { ApiError } from './envelope.js';

/** Parameters of one API request: the query string and, for POST, the form body, merged as Prometheus does. */
export class ApiParams {
  private readonly params: URLSearchParams;

  constructor(query: string, body?: string) {
    this.params = new URLSearchParams(query);
    if (body) for (const [k, v] of new URLSearchParams(body)) this.params.append(k, v);
  }

  get(name: string): string | undefined {
    const value = this.params.get(name);
    return value === null ? undefined : value;
  }

  all(name: string): string[] {
    return this.params.getAll(name);
  }

  /** A required parameter; bad_data naming it when missing. */
  required(name: string): string {
    const value = this.get(name);
    if (value === undefined || value === '') throw new ApiError('bad_data', `parameter "${name}" is required`);
    return value;
  }

  /** A timestamp parameter (RFC 3339 or Unix seconds with decimals) in ms, or `fallback` when absent. */
  time(name: string, fallback: number): number {
    const text = this.get(name);
    return text === undefined || text === '' ? fallback : parseTime(text, name);
  }

  /** A duration parameter (seconds as a float, or Prometheus syntax such as 30s or 1m30s) in ms. */
  duration(name: string): number | undefined {
    const text = this.get(name);
    return text === undefined || text === '' ? undefined : parseDurationParam(text, name);
  }

  /** A non-negative integer parameter (0 = no limit), or undefined when absent. */
  limit(name: string): number | undefined {
    const text = this.get(name);
    if (text === undefined || text === '') return undefined;
    if (!/^\d+$/.test(text))
      throw new ApiError('bad_data', `parameter "${name}": expected a non-negative integer, got "${text}"`);
    return Number(text);
  }
}

/** The bounds of an open time range (no `start` or `end`): every stored sample lies between them. */
export const MIN_TIME_MS = Number.MIN_SAFE_INTEGER;
export const MAX_TIME_MS = Number.MAX_SAFE_INTEGER;

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses a Prometheus API time: Unix seconds (`1700000000.123`) or RFC 3339; ms since the epoch. */
export function parseTime(text: string, name: string): number {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const seconds = Number(text);
    if (Number.isFinite(seconds)) return Math.round(seconds * 1000);
  }
  if (RFC3339.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new ApiError('bad_data', `invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`);
}

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Parses an API duration: float seconds (`15`, `0.5`) or Prometheus syntax (`1m30s`); ms. */
export function parseDurationParam(text: string, name: string): number {
  if (/^(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    const ms = Math.round(Number(text) * 1000);
    if (Number.isFinite(ms)) return ms;
  }
  const m = text === '' ? null : DURATION.exec(text);
  if (m) {
    let ms = 0;
    for (let i = 0; i < UNIT_MS.length; i++) if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNIT_MS[i]!;
    return ms;
  }
  throw new ApiError('bad_data', `invalid parameter "${name}": cannot parse "${text}" to a valid duration`);
}
