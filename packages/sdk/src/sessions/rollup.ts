import { round, type SessionState, type SessionStatus } from './session-metrics.js';

/**
 * Figures summed over a set of tracked sessions (closed ones included until evicted). Sums
 * for counters; averages are ratios of those sums, so they weigh each call or session once:
 * `avg_llm_ms` = llm_total_ms / llm_calls, `avg_*_per_session` = total / sessions,
 * `tool_success_rate` = tool_calls_success / tool_calls_total (null with no calls).
 * Lifetime totals across evicted sessions belong to the Prometheus counters, not here.
 */
export interface SessionTotals {
  sessions: number;
  active: number;
  idle: number;
  closed: number;
  turns: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  llm_calls: number;
  llm_total_ms: number;
  avg_llm_ms: number;
  tool_calls_total: number;
  tool_calls_success: number;
  tool_calls_failed: number;
  tool_success_rate: number | null;
  avg_tokens_per_session: number;
  avg_turns_per_session: number;
}

/** The rollup of one app's tracked sessions. */
export interface AppSummary extends SessionTotals {
  app_id: string;
}

/** The rollup of every tracked session; `apps` is how many apps have one. */
export interface GlobalSummary extends SessionTotals {
  apps: number;
}

/** The global rollup and one per app (in order of each app's first tracked session). */
export interface SessionRollup {
  global: GlobalSummary;
  apps: AppSummary[];
}

/** Sums sessions, each with its status, into the global rollup and one per app. */
export function rollupOf(sessions: Iterable<[SessionState, SessionStatus]>): SessionRollup {
  const all = new TotalsAccumulator();
  const byApp = new Map<string, TotalsAccumulator>();
  for (const [state, status] of sessions) {
    all.add(state, status);
    let app = byApp.get(state.appId);
    if (app === undefined) {
      app = new TotalsAccumulator();
      byApp.set(state.appId, app);
    }
    app.add(state, status);
  }
  return {
    global: { apps: byApp.size, ...all.totals() },
    apps: [...byApp].map(([appId, sums]) => ({ app_id: appId, ...sums.totals() })),
  };
}

/** Running sums that `totalsOf` turns into a SessionTotals. */
export class TotalsAccumulator {
  sessions = 0;
  active = 0;
  idle = 0;
  closed = 0;
  turns = 0;
  promptTokens = 0;
  completionTokens = 0;
  llmCalls = 0;
  llmTotalMs = 0;
  toolCalls = 0;
  toolSuccesses = 0;
  toolFailures = 0;

  /** Adds one session with its current status. */
  add(s: SessionState, status: SessionStatus): void {
    this.sessions++;
    this[status]++;
    this.turns += s.turn;
    this.promptTokens += s.promptTokens;
    this.completionTokens += s.completionTokens;
    this.llmCalls += s.llmCalls;
    this.llmTotalMs += s.llmTotalMs;
    this.toolCalls += s.toolCalls;
    this.toolSuccesses += s.toolSuccesses;
    this.toolFailures += s.toolFailures;
  }

  /** The sums with their averages. */
  totals(): SessionTotals {
    const total = this.promptTokens + this.completionTokens;
    return {
      sessions: this.sessions,
      active: this.active,
      idle: this.idle,
      closed: this.closed,
      turns: this.turns,
      prompt_tokens: this.promptTokens,
      completion_tokens: this.completionTokens,
      total_tokens: total,
      llm_calls: this.llmCalls,
      llm_total_ms: round(this.llmTotalMs),
      avg_llm_ms: ratio(this.llmTotalMs, this.llmCalls),
      tool_calls_total: this.toolCalls,
      tool_calls_success: this.toolSuccesses,
      tool_calls_failed: this.toolFailures,
      tool_success_rate: this.toolCalls === 0 ? null : round(this.toolSuccesses / this.toolCalls),
      avg_tokens_per_session: ratio(total, this.sessions),
      avg_turns_per_session: ratio(this.turns, this.sessions),
    };
  }
}

function ratio(sum: number, count: number): number {
  return count === 0 ? 0 : round(sum / count);
}
