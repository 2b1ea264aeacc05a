/** What a conversion kept and what it refused, for the OTLP answer. */
export interface Converted<T> {
  records: T[];
  /** Records refused (counted in partial_success). */
  rejected: number;
  /** The first few reasons, for partial_success.error_message. */
  errors: string[];
}

const MAX_MESSAGES = 5;

/** A collector of refusals that keeps the first few messages. */
export class Refusals {
  rejected = 0;
  readonly errors: string[] = [];

  /** Counts `n` refused records, remembering why (the first few reasons only). */
  add(message: string, n = 1): void {
    this.rejected += n;
    if (this.errors.length < MAX_MESSAGES) this.errors.push(message);
  }

  /** The error_message of a partial success: the reasons, and how many more were left out. */
  message(): string {
    return this.errors.join('; ');
  }
}

/** Keys under which a span or log attribute carries the request's correlation id (first found wins). */
export const CORRELATION_KEYS = [
  'correlation_id',
  'vigil.correlation_id',
  'request_id',
  'http.request.header.x-request-id',
];

/** The correlation id among `attributes`, as a string. */
export function correlationOf(attributes: Record<string, unknown>): string | null {
  for (const key of CORRELATION_KEYS) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value.slice(0, 256);
    if (Array.isArray(value) && typeof value[0] === 'string' && value[0] !== '') return value[0].slice(0, 256);
  }
  return null;
}
