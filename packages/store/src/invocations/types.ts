import type { TimeInput } from '../validate.js';

/** How an LLM call ended (the SDK's InvocationStatus). */
export type InvocationStatus = 'ok' | 'error' | 'cancelled' | 'timeout' | 'budget_exhausted';

/** One LLM call as stored: every field of the invocation log, absent optional values as null. */
export interface InvocationRecord {
  /** Idempotency key: storing the same id again keeps the first row. */
  id: string;
  /** When the call started, epoch milliseconds. */
  ts: number;
  app_id: string | null;
  session_id: string | null;
  correlation_id: string | null;
  /** What kind of call, e.g. `parse_task`, `escalation_lifecycle`. */
  task_type: string;
  /** Routing alias, e.g. `fast`. */
  model_alias: string | null;
  /** Model the provider actually ran. */
  model_actual: string | null;
  /** As `gen_ai.provider.name` spells it: `openai`, `anthropic`, ... */
  provider: string | null;
  /** Hash of the prompt, for deduplication (never the prompt). */
  input_hash: string | null;
  /** Wall-clock latency. */
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
  /** A shadow-mode call, made to compare models and not shown to the user. */
  is_shadow: boolean;
  skill_id: string | null;
  escalation_request_id: number | null;
  /** Multi-step chain correlation. */
  chain_id: string | null;
  /** Calling module, for attribution. */
  caller: string | null;
  /** Time spent in the request queue. */
  queue_wait_ms: number | null;
  overflow_escalated: boolean;
  status: InvocationStatus;
  /** Error summary when status is not ok (never a secret or the prompt). */
  error: string | null;
}

/** An invocation as a caller gives it: `id`, `ts`, counters and flags have defaults (random UUID, now, 0, false, 'ok'). */
export type InvocationInput = Partial<Omit<InvocationRecord, 'ts'>> & {
  task_type: string;
  ts?: TimeInput;
};

/** What one batch insert did. */
export interface InsertResult {
  /** Rows newly stored. */
  inserted: number;
  /** Records whose id was already stored (kept as first stored). */
  duplicates: number;
}

/** Filters of an invocation query; all given filters must hold. Results are ordered by ts, then id. */
export interface InvocationQuery {
  /** Calls at or after this time. */
  since?: TimeInput;
  /** Calls strictly before this time. */
  until?: TimeInput;
  /** Matches model_alias or model_actual. */
  model?: string;
  task_type?: string;
  user_id?: string;
  app_id?: string;
  session_id?: string;
  /** The request's correlation id: every call one request made. */
  correlation_id?: string;
  status?: InvocationStatus;
  /** 1..10000, default 100. */
  limit?: number;
  offset?: number;
  /** 'asc' (oldest first, default) or 'desc'. */
  order?: 'asc' | 'desc';
}

/** Spend of one UTC day: the calls of that day that matched a query. */
export interface DailySpend {
  /** The day's start, 00:00 UTC, epoch milliseconds. */
  day_start_ms: number;
  /** Sum of the known costs. */
  spend_usd: number;
  calls: number;
  /** Calls with no cost (cost_usd null: their model had no price). */
  unpriced_calls: number;
}

/** The invocation log: one permanent row per LLM call. */
export interface InvocationStore {
  /** Stores a batch in one transaction; a bad record rejects the whole batch with a StoreError naming it. */
  insertBatch(records: readonly InvocationInput[]): Promise<InsertResult>;
  /** Calls matching the filters, one page of them. */
  query(filter?: InvocationQuery): Promise<InvocationRecord[]>;
  /** How many calls match the filters (limit and offset ignored). */
  count(filter?: InvocationQuery): Promise<number>;
  /** Spend per UTC day of `ts` over the calls matching the filters, oldest first, days with no call left out (limit, offset and order ignored). */
  spendByDay(filter?: InvocationQuery): Promise<DailySpend[]>;
}
