import { createHash } from 'node:crypto';
import type { InvocationStatus } from '../metrics/agent.js';

/**
 * One LLM call in the invocation log: every field of the seed's `invocation_log`, plus the
 * id (a UUID, the idempotency key: a retried batch never stores a row twice), the start time,
 * cache token counts, session, correlation, status, error, provider and app. Absent optional
 * values are null. `cost_usd` is null when no price is known (never a guess).
 */
export interface InvocationRow {
  id: string;
  /** When the call started, epoch milliseconds. */
  ts: number;
  app_id: string | null;
  session_id: string | null;
  correlation_id: string | null;
  /** What kind of call, e.g. `parse_task` (default: the operation, `chat`). */
  task_type: string;
  /** Routing alias, e.g. `fast`. */
  model_alias: string | null;
  /** The model that answered (the response's model, else the requested one). */
  model_actual: string | null;
  /** As `gen_ai.provider.name` spells it. */
  provider: string | null;
  /** SHA-256 (hex) of the prompt, for deduplication; never the prompt itself. */
  input_hash: string | null;
  latency_ms: number;
  /** Every prompt token, cache reads and writes included. */
  tokens_in: number;
  tokens_out: number;
  /** Prompt tokens read from the provider's cache (a subset of tokens_in). */
  cache_read_tokens_in: number;
  /** Prompt tokens written to the provider's cache (a subset of tokens_in). */
  cache_creation_tokens_in: number;
  cost_usd: number | null;
  user_id: string | null;
  task_id: string | null;
  is_shadow: boolean;
  skill_id: string | null;
  escalation_request_id: number | null;
  chain_id: string | null;
  caller: string | null;
  queue_wait_ms: number | null;
  overflow_escalated: boolean;
  status: InvocationStatus;
  /** Redacted error summary when status is not ok. */
  error: string | null;
}

/** SHA-256 (hex) of a prompt: strings as UTF-8, anything else (a message array) as its JSON. */
export function hashInput(prompt: unknown): string {
  const text = typeof prompt === 'string' ? prompt : (JSON.stringify(prompt) ?? String(prompt));
  return createHash('sha256').update(text).digest('hex');
}
