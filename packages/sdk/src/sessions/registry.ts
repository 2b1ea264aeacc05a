import { VigilError } from '../errors.js';
import { getLogger, type Logger } from '../log/logger.js';
import { Redactor } from '../log/redact.js';
import { type EvictionReason, SessionEvents, type SessionEventType, type SessionListener } from './events.js';
import {
  initProblem,
  optionsProblem,
  type RecordResult,
  refProblem,
  type SessionInit,
  type SessionRef,
  type SessionRegistryOptions,
  type SessionRegistryStats,
} from './options.js';
import {
  applyContext,
  applyLlmCall,
  applyMemory,
  applyToolCall,
  type ContextRecord,
  contextProblem,
  type LlmCallRecord,
  llmCallProblem,
  type MemoryRecord,
  memoryProblem,
  type ToolCallRecord,
  toolCallProblem,
} from './record.js';
import { type AppSummary, type GlobalSummary, rollupOf, type SessionRollup, TotalsAccumulator } from './rollup.js';
import {
  newSessionState,
  SessionMetrics,
  type SessionSnapshot,
  type SessionState,
  type SessionStatus,
  snapshotOf,
  statusAt,
  toolSnapshotOf,
} from './session-metrics.js';
import { firstProblem, textProblem } from './validate.js';

interface Entry {
  state: SessionState;
  view: SessionMetrics;
  /** The status last pushed as `metrics:session_updated`, so the sweep reports each change once. */
  reported: SessionStatus;
}

const OK: RecordResult = Object.freeze({ ok: true });
const WARN_EVERY_MS = 60_000;

/** The fields of an object `SessionRef`, read without narrowing. */
interface RefFields {
  appId?: string;
  preferAppId?: string;
  sessionId: string;
}

/** A session's place in the registry: its app and id, and the map key made of both. */
interface Resolved {
  appId: string;
  sessionId: string;
  key: string;
}

/**
 * The per-session agent metrics of a process: sessions are started, recorded into, ended,
 * and read one by one or rolled up per app. A session is keyed by app and id; methods take a
 * `SessionRef`: the id alone, `{ appId, sessionId }` or `{ preferAppId, sessionId }`. Bounded in memory,
 * driven by an injected clock, and it never throws into the agent: bad input is refused,
 * counted and logged.
 */
export class SessionRegistry {
  /** The app of sessions named by their id alone. */
  readonly appId: string;
  readonly #sessions = new Map<string, Entry>();
  /** The tracked sessions of each id, across apps (almost always one). */
  readonly #byId = new Map<string, Entry[]>();
  readonly #events: SessionEvents;
  readonly #now: () => number;
  readonly #maxSessions: number;
  readonly #idleAfterMs: number;
  readonly #closedTtlMs: number;
  readonly #maxTurns: number | null;
  readonly #maxTools: number;
  readonly #autoStart: boolean;
  readonly #redactor: Redactor;
  readonly #status = (state: SessionState) => statusAt(state, this.#now(), this.#idleAfterMs);
  #logger: Logger | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastWarnAt = Number.NEGATIVE_INFINITY;
  #unwarned = 0;
  readonly #counts = {
    started: 0,
    auto_started: 0,
    ended: 0,
    evicted_ttl: 0,
    evicted_capacity: 0,
    refused_capacity: 0,
    rejected: 0,
    ignored_unknown: 0,
    ignored_closed: 0,
    listener_errors: 0,
  };
  #lastProblem: string | null = null;

  constructor(options: SessionRegistryOptions = {}) {
    const problem = optionsProblem(options);
    if (problem !== undefined) throw new VigilError('VIGIL_BAD_OPTION', problem);
    this.appId = options.appId ?? (process.env.VIGIL_SERVICE || 'app');
    const appProblem = textProblem(this.appId, 'the app of a SessionRegistry (option "appId", else VIGIL_SERVICE)');
    if (appProblem !== undefined) throw new VigilError('VIGIL_BAD_OPTION', appProblem);
    this.#maxSessions = options.maxSessions ?? 10_000;
    this.#idleAfterMs = options.idleAfterMs ?? 300_000;
    this.#closedTtlMs = options.closedTtlMs ?? 600_000;
    this.#maxTurns = options.maxTurns ?? null;
    this.#maxTools = options.maxToolsPerSession ?? 100;
    this.#autoStart = options.autoStart !== false;
    this.#now = options.now ?? Date.now;
    this.#redactor = options.redactor ?? new Redactor();
    this.#logger = options.logger;
    this.#events = new SessionEvents((err, type) => {
      this.#counts.listener_errors++;
      this.#log().error({ err, event: type }, `a ${type} listener threw; the other listeners still ran`);
    });
    const every = options.sweepIntervalMs ?? 30_000;
    if (every > 0) this.#timer = setInterval(() => this.#safeSweep(), every).unref();
  }

  /**
   * Starts tracking a session and returns its metrics. Starting an open session again fills in
   * identity fields it lacks; starting an ended one begins a new session under that id. When
   * full, the oldest closed session makes room, else the oldest idle one; when every session
   * is active the new one is refused (undefined, counted in `refused_capacity`).
   */
  start(session: SessionRef, init: SessionInit = {}): SessionMetrics | undefined {
    const problem = firstProblem(refProblem(session), initProblem(init), appConflict(session, init));
    if (problem !== undefined) {
      this.#reject('start', problem);
      return undefined;
    }
    const at = this.#resolve(session, init.appId);
    if (typeof at === 'string') {
      this.#reject('start', at);
      return undefined;
    }
    return this.#start(at, init, false)?.view;
  }

  /** Ends a session: it is `closed` and evicted after `closedTtlMs`. False when it was not open. */
  end(session: SessionRef): boolean {
    const problem = refProblem(session);
    if (problem !== undefined) {
      this.#reject('end', problem);
      return false;
    }
    const at = this.#resolve(session);
    if (typeof at === 'string') {
      this.#reject('end', at);
      return false;
    }
    const entry = this.#sessions.get(at.key);
    if (entry === undefined || entry.state.closedAt !== undefined) return false;
    const now = this.#now();
    entry.state.closedAt = now;
    entry.state.lastActiveAt = now;
    this.#counts.ended++;
    this.#updated(entry);
    return true;
  }

  /** One session's metrics, closed ones included until evicted. */
  get(session: SessionRef): SessionMetrics | undefined {
    const at = refProblem(session) === undefined ? this.#resolve(session) : undefined;
    const entry = typeof at === 'object' ? this.#sessions.get(at.key) : undefined;
    if (entry === undefined) return undefined;
    if (!this.#expired(entry.state, this.#now())) return entry.view;
    this.#evict(entry, 'ttl');
    return undefined;
  }

  /** Snapshots of tracked sessions: `open` (active or idle, the default), one status, or `all`. */
  list(filter: { appId?: string; status?: SessionStatus | 'open' | 'all' } = {}): SessionSnapshot[] {
    this.sweep();
    const now = this.#now();
    const wanted = filter.status ?? 'open';
    const out: SessionSnapshot[] = [];
    for (const { state } of this.#sessions.values()) {
      if (filter.appId !== undefined && state.appId !== filter.appId) continue;
      const status = statusAt(state, now, this.#idleAfterMs);
      if (wanted === 'all' || wanted === status || (wanted === 'open' && status !== 'closed')) {
        out.push(snapshotOf(state, status));
      }
    }
    return out;
  }

  /** Snapshots of every open (active or idle) session, of one app or all. */
  listActive(appId?: string): SessionSnapshot[] {
    return this.list({ appId, status: 'open' });
  }

  /** The ids of apps with a tracked session. */
  apps(): string[] {
    return this.rollup().apps.map((app) => app.app_id);
  }

  /** The global rollup and one per app, in one pass over the tracked sessions. */
  rollup(): SessionRollup {
    this.sweep();
    return rollupOf(this.#withStatus());
  }

  /** The rollup of one app's tracked sessions (all zero when it has none). */
  appSummary(appId: string): AppSummary {
    this.sweep();
    return rollupOf(this.#withStatus(appId)).apps[0] ?? { app_id: appId, ...new TotalsAccumulator().totals() };
  }

  /** The rollup of every tracked session. */
  globalSummary(): GlobalSummary {
    return this.rollup().global;
  }

  /** Adds one LLM call: tokens, latency, and the model/provider now in use. */
  recordLlmCall(session: SessionRef, call: LlmCallRecord): RecordResult {
    return this.#record('recordLlmCall', session, call, llmCallProblem, (entry) => applyLlmCall(entry.state, call));
  }

  /** Adds one tool call to the session's counters and to that tool's figures. */
  recordToolCall(session: SessionRef, call: ToolCallRecord): RecordResult {
    return this.#record('recordToolCall', session, call, toolCallProblem, (entry) => {
      const kept = applyToolCall(entry.state, call, this.#maxTools, this.#redactor);
      this.#toolCompleted(entry, call, kept);
    });
  }

  /** Counts one completed turn. */
  completeTurn(session: SessionRef): RecordResult {
    return this.#record('completeTurn', session, {}, noProblem, (entry) => {
      entry.state.turn++;
      this.#turnCompleted(entry);
    });
  }

  /** Replaces the context breakdown (tokens of system prompt, tool schemas, messages) of the current turn. */
  setContextBreakdown(session: SessionRef, context: ContextRecord): RecordResult {
    return this.#record('setContextBreakdown', session, context, contextProblem, (entry) =>
      applyContext(entry.state, context),
    );
  }

  /** Sets the memory snapshot: goal (null clears it), fact and todo counts; absent fields stay. */
  setMemory(session: SessionRef, memory: MemoryRecord): RecordResult {
    return this.#record('setMemory', session, memory, memoryProblem, (entry) =>
      applyMemory(entry.state, memory, this.#redactor),
    );
  }

  /** Calls `listener` on each `type` event; returns the function that unsubscribes it. */
  on<K extends SessionEventType>(type: K, listener: SessionListener<K>): () => void {
    return this.#events.on(type, listener);
  }

  /** Removes a listener added with `on`. */
  off<K extends SessionEventType>(type: K, listener: SessionListener<K>): void {
    this.#events.off(type, listener);
  }

  /** How many listeners are subscribed, to one event type or to all. */
  listenerCount(type?: SessionEventType): number {
    return this.#events.listenerCount(type);
  }

  /** Marks quiet sessions idle (pushing the change) and evicts closed ones past their TTL. */
  sweep(): void {
    const now = this.#now();
    for (const entry of this.#sessions.values()) {
      if (this.#expired(entry.state, now)) this.#evict(entry, 'ttl');
      else if (entry.reported !== statusAt(entry.state, now, this.#idleAfterMs)) this.#updated(entry);
    }
  }

  /** The registry's own counters. */
  stats(): SessionRegistryStats {
    this.sweep();
    const now = this.#now();
    const by = { active: 0, idle: 0, closed: 0 };
    for (const { state } of this.#sessions.values()) by[statusAt(state, now, this.#idleAfterMs)]++;
    return { tracked: this.#sessions.size, ...by, ...this.#counts, last_problem: this.#lastProblem };
  }

  /** Stops the background sweep and drops every listener; the data stays readable. */
  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#events.clear();
  }

  /** Validates, finds (or auto-starts) the session, applies, marks it active and pushes the update. */
  #record<T extends object>(
    method: string,
    session: SessionRef,
    input: T,
    check: (input: T) => string | undefined,
    apply: (entry: Entry) => void,
  ): RecordResult {
    const problem =
      refProblem(session) ??
      (input === null || typeof input !== 'object' ? 'the record must be an object' : check(input));
    // Refused before anything is looked up, so a bad record changes nothing and starts nothing.
    if (problem !== undefined) return this.#reject(method, problem);
    const at = this.#resolve(session);
    if (typeof at === 'string') return this.#reject(method, at);
    let entry = this.#sessions.get(at.key);
    if (entry !== undefined && entry.state.closedAt !== undefined) {
      this.#counts.ignored_closed++;
      return { ok: false, problem: `session has ended; ${method} ignored` };
    }
    if (entry === undefined) {
      if (!this.#autoStart) {
        this.#counts.ignored_unknown++;
        return { ok: false, problem: `session was never started; ${method} ignored` };
      }
      entry = this.#start(at, {}, true);
      if (entry === undefined) return { ok: false, problem: 'session limit reached with every session active' };
    }
    entry.state.lastActiveAt = this.#now();
    apply(entry);
    this.#updated(entry);
    return OK;
  }

  #start(at: Resolved, init: SessionInit, auto: boolean): Entry | undefined {
    const now = this.#now();
    let entry = this.#sessions.get(at.key);
    if (entry !== undefined && entry.state.closedAt !== undefined) {
      this.#forget(entry);
      entry = undefined;
    }
    if (entry === undefined) {
      if (!this.#makeRoom(now)) {
        this.#counts.refused_capacity++;
        this.#warn(
          `session limit of ${this.#maxSessions} reached with every session active; a new session is not tracked`,
        );
        return undefined;
      }
      const state = newSessionState(at.appId, at.sessionId, now);
      state.maxTurns = this.#maxTurns;
      entry = { state, view: new SessionMetrics(state, this.#status), reported: 'active' };
      this.#sessions.set(at.key, entry);
      const same = this.#byId.get(at.sessionId);
      if (same === undefined) this.#byId.set(at.sessionId, [entry]);
      else same.push(entry);
      this.#counts[auto ? 'auto_started' : 'started']++;
    }
    const { state } = entry;
    state.agentId ??= init.agentId ?? null;
    state.userId ??= init.userId ?? null;
    state.channel ??= init.channel ?? null;
    if (init.model !== undefined) state.model = init.model;
    if (init.provider !== undefined) state.provider = init.provider;
    if (init.maxTurns !== undefined) state.maxTurns = init.maxTurns;
    state.lastActiveAt = now;
    if (!auto) this.#updated(entry);
    return entry;
  }

  #toolCompleted(entry: Entry, call: ToolCallRecord, kept: string): void {
    if (!this.#events.has('metrics:tool_completed')) return;
    const { state } = entry;
    const figures = state.tools.get(kept)!;
    this.#events.emit('metrics:tool_completed', {
      app_id: state.appId,
      session_id: state.sessionId,
      tool: call.tool,
      ok: call.ok,
      duration_ms: call.durationMs,
      error: call.ok ? null : figures.lastError,
      tool_metrics: toolSnapshotOf(figures),
    });
  }

  #turnCompleted(entry: Entry): void {
    if (!this.#events.has('metrics:turn_completed')) return;
    const { state } = entry;
    this.#events.emit('metrics:turn_completed', {
      app_id: state.appId,
      session_id: state.sessionId,
      turn: state.turn,
      session: snapshotOf(state, 'active'),
    });
  }

  #makeRoom(now: number): boolean {
    if (this.#sessions.size < this.#maxSessions) return true;
    let closed: Entry | undefined;
    let idle: Entry | undefined;
    for (const entry of this.#sessions.values()) {
      const { state } = entry;
      const status = statusAt(state, now, this.#idleAfterMs);
      if (status === 'closed' && (closed === undefined || state.closedAt! < closed.state.closedAt!)) closed = entry;
      if (status === 'idle' && (idle === undefined || state.lastActiveAt < idle.state.lastActiveAt)) idle = entry;
    }
    const victim = closed ?? idle;
    if (victim === undefined) return false;
    this.#evict(victim, 'capacity');
    return true;
  }

  *#withStatus(appId?: string): Generator<[SessionState, SessionStatus]> {
    const now = this.#now();
    for (const { state } of this.#sessions.values()) {
      if (appId === undefined || state.appId === appId) yield [state, statusAt(state, now, this.#idleAfterMs)];
    }
  }

  #expired(state: SessionState, now: number): boolean {
    return state.closedAt !== undefined && now - state.closedAt >= this.#closedTtlMs;
  }

  #evict(entry: Entry, reason: EvictionReason): void {
    const { appId, sessionId } = entry.state;
    this.#forget(entry);
    this.#counts[reason === 'ttl' ? 'evicted_ttl' : 'evicted_capacity']++;
    this.#events.emit('metrics:session_evicted', { app_id: appId, session_id: sessionId, reason });
  }

  #updated(entry: Entry): void {
    const status = statusAt(entry.state, this.#now(), this.#idleAfterMs);
    entry.reported = status;
    if (this.#events.has('metrics:session_updated')) {
      this.#events.emit('metrics:session_updated', snapshotOf(entry.state, status));
    }
  }

  /**
   * Where a (validated) reference points (see `SessionRef`). An app named by the reference, or
   * else by `namedApp` (a start's `init.appId`), is used as given. An id alone: the registry's
   * app if it has the id, else the only other app that has it (so `start(id, { appId })` then
   * calls by id keep working), else a new session in the registry's app; a problem (string) when
   * several other apps have it. `preferAppId` (a recorder's app): that app if it has the id, else
   * the registry's app if it has it (sessions the agent started by id), else a new session in
   * the preferred app, so two recorders' apps never share a session. Sessions past their TTL are
   * evicted on the way, so they never make an id ambiguous.
   */
  #resolve(session: SessionRef, namedApp?: string): Resolved | string {
    const ref = typeof session === 'string' ? { sessionId: session } : (session as RefFields);
    const { sessionId } = ref;
    const named = ref.appId ?? namedApp;
    if (named !== undefined) return at(named, sessionId);
    const now = this.#now();
    for (const entry of this.#byId.get(sessionId) ?? []) if (this.#expired(entry.state, now)) this.#evict(entry, 'ttl');
    // Looked up in the (almost always one-entry) list of this id's sessions: no key is built to search.
    const tracked = this.#byId.get(sessionId) ?? [];
    const inApp = (app: string) => tracked.find((entry) => entry.state.appId === app);
    const preferred = ref.preferAppId ?? this.appId;
    const found = inApp(preferred) ?? (ref.preferAppId === undefined ? undefined : inApp(this.appId));
    if (found !== undefined) return at(found.state.appId, sessionId);
    if (ref.preferAppId !== undefined || tracked.length === 0) return at(preferred, sessionId);
    if (tracked.length > 1) return 'several apps have a session of this id: name the app ({ appId, sessionId })';
    return at(tracked[0]!.state.appId, sessionId);
  }

  #forget(entry: Entry): void {
    const { appId, sessionId } = entry.state;
    this.#sessions.delete(keyOf(appId, sessionId));
    const same = this.#byId.get(sessionId)?.filter((other) => other !== entry) ?? [];
    if (same.length === 0) this.#byId.delete(sessionId);
    else this.#byId.set(sessionId, same);
  }

  #reject(method: string, problem: string): RecordResult {
    this.#counts.rejected++;
    this.#lastProblem = `${method}: ${problem}`;
    this.#warn(`session metrics refused a ${method} call: ${problem}`);
    return { ok: false, problem };
  }

  /** At most one warning a minute; the ones held back are counted on the next. */
  #warn(message: string): void {
    const now = this.#now();
    if (now - this.#lastWarnAt < WARN_EVERY_MS) {
      this.#unwarned++;
      return;
    }
    const held = this.#unwarned;
    this.#lastWarnAt = now;
    this.#unwarned = 0;
    this.#log().warning(held > 0 ? { not_logged_since_last: held } : {}, message);
  }

  #log(): Logger {
    this.#logger ??= getLogger().module('sessions');
    return this.#logger;
  }

  #safeSweep(): void {
    try {
      this.sweep();
    } catch (err) {
      this.#log().error({ err }, 'session sweep failed');
    }
  }
}

// Ids never hold control characters (refused by textProblem), so NUL cannot occur inside either part.
function keyOf(appId: string, sessionId: string): string {
  return `${appId}\u0000${sessionId}`;
}

function at(appId: string, sessionId: string): Resolved {
  return { appId, sessionId, key: keyOf(appId, sessionId) };
}

/** `start({ appId: 'a', ... }, { appId: 'b' })` names two apps: refused rather than guessed. */
function appConflict(session: SessionRef, init: SessionInit): string | undefined {
  if (typeof session === 'string' || session === null || typeof session !== 'object') return undefined;
  const { appId } = session as RefFields;
  if (appId === undefined || init?.appId === undefined || appId === init.appId) return undefined;
  return 'the session names two apps (its appId and init.appId differ)';
}

function noProblem(): undefined {
  return undefined;
}
