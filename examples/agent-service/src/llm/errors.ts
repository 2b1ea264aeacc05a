/** Why a provider call failed: `rate_limited` (HTTP 429, worth retrying) or `server_error` (HTTP 5xx). */
export type LlmErrorKind = 'rate_limited' | 'server_error';

/** A failed call to the LLM provider, typed by kind so the agent can decide whether to retry. */
export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  /** The HTTP status the provider answered. */
  readonly status: number;
  /** How long the provider asked us to wait (its `Retry-After`), for rate limits. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: LlmErrorKind, status: number, message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'LlmError';
    this.kind = kind;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}
