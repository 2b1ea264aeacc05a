import type { Logger } from '../log/logger.js';
import type { Redactor } from '../log/redact.js';
import { firstProblem, MAX_NAME_LENGTH, optionalCountProblem, optionalTextProblem, textProblem } from './validate.js';

/** Options of a SessionRegistry. */
export interface SessionRegistryOptions {
  /**
   * The app of a session named by its id alone (default `VIGIL_SERVICE`, else `app`: the same as a
   * recorder's default `app`). Sessions are keyed by app and id, as the seed looks them up.
   */
  appId?: string;
  /** Most sessions tracked at once (default 10 000); see `start` for who makes room. */
  maxSessions?: number;
  /** A session with no activity for this long is `idle` (default 5 minutes). */
  idleAfterMs?: number;
  /** A closed session is evicted this long after it ended (default 10 minutes). */
  closedTtlMs?: number;
  /** `max_turns` of sessions started without one (default none, shown as null). */
  maxTurns?: number;
  /** Distinct tools kept per session; calls to more are summed under `_other` (default 100). */
  maxToolsPerSession?: number;
  /** Recording into an unknown session starts it (default true); false ignores and counts it. */
  autoStart?: boolean;
  /** How often the background sweep runs (default 30 s; 0 turns it off, reads still sweep). */
  sweepIntervalMs?: number;
  /** Clock in epoch milliseconds. */
  now?: () => number;
  /** Hides secrets in `last_error` and `memory_goal` (default: the SDK's built-in rules). */
  redactor?: Redactor;
  /** Where rejected input and listener failures are reported (default: the SDK's logger). */
  logger?: Logger;
}

/**
 * A session as the registry's methods take it. The same id in two apps is two sessions.
 * - an id alone: the session of that id in the registry's `appId`, else the only session of that
 *   id in another app, else a new one in the registry's app (refused when several other apps
 *   have that id);
 * - `{ appId, sessionId }`: exactly that app's session;
 * - `{ preferAppId, sessionId }`: that app's session if it has one, else the registry's app's
 *   (a session the agent started by id), else a new one in `preferAppId`. Recorders use it with
 *   their `app`, so recorders of two apps sharing a registry never share a session.
 */
export type SessionRef =
  | string
  | { readonly appId: string; readonly sessionId: string }
  | { readonly preferAppId: string; readonly sessionId: string };

/** What is wrong with a session reference, if anything. */
export function refProblem(ref: SessionRef): string | undefined {
  if (ref === null || typeof ref !== 'object') return textProblem(ref, 'sessionId');
  const { appId, preferAppId } = ref as { appId?: unknown; preferAppId?: unknown };
  if (appId !== undefined && preferAppId !== undefined) return 'give appId or preferAppId, not both';
  return firstProblem(
    textProblem(ref.sessionId, 'sessionId'),
    optionalTextProblem(appId, 'appId'),
    optionalTextProblem(preferAppId, 'preferAppId'),
  );
}

/** Identity and cap of a session, given to `start`. */
export interface SessionInit {
  appId?: string;
  agentId?: string;
  userId?: string;
  channel?: string;
  model?: string;
  provider?: string;
  maxTurns?: number;
}

/** What a recording did: applied, or refused/ignored with the reason. Never thrown. */
export type RecordResult = { ok: true } | { ok: false; problem: string };

/** Counters of the registry itself: how much it kept, dropped, refused. */
export interface SessionRegistryStats {
  tracked: number;
  active: number;
  idle: number;
  closed: number;
  started: number;
  auto_started: number;
  ended: number;
  evicted_ttl: number;
  evicted_capacity: number;
  /** New sessions refused because every tracked session was active. */
  refused_capacity: number;
  /** Calls refused for invalid input (bad id, negative tokens, NaN duration...). */
  rejected: number;
  /** Recordings for a session that was never started (with `autoStart: false`). */
  ignored_unknown: number;
  /** Recordings for a session that had ended. */
  ignored_closed: number;
  listener_errors: number;
  /** The last rejection's message. */
  last_problem: string | null;
}

/** What is wrong with registry options, if anything (thrown as VIGIL_BAD_OPTION at construction). */
export function optionsProblem(options: SessionRegistryOptions): string | undefined {
  return firstProblem(
    options.appId === undefined ? undefined : textProblem(options.appId, 'SessionRegistry option "appId"'),
    positive(options.maxSessions, 'maxSessions'),
    positive(options.idleAfterMs, 'idleAfterMs'),
    nonNegative(options.closedTtlMs, 'closedTtlMs'),
    positive(options.maxTurns, 'maxTurns'),
    positive(options.maxToolsPerSession, 'maxToolsPerSession'),
    nonNegative(options.sweepIntervalMs, 'sweepIntervalMs'),
  );
}

/** What is wrong with a session's init, if anything. */
export function initProblem(init: SessionInit): string | undefined {
  if (init === null || typeof init !== 'object') return 'the session init must be an object';
  return firstProblem(
    optionalTextProblem(init.appId, 'appId'),
    optionalTextProblem(init.agentId, 'agentId'),
    optionalTextProblem(init.userId, 'userId'),
    optionalTextProblem(init.channel, 'channel'),
    optionalTextProblem(init.model, 'model', MAX_NAME_LENGTH),
    optionalTextProblem(init.provider, 'provider', MAX_NAME_LENGTH),
    optionalCountProblem(init.maxTurns, 'maxTurns'),
  );
}

function positive(value: number | undefined, name: string): string | undefined {
  if (value === undefined || (Number.isFinite(value) && value > 0)) return undefined;
  return `SessionRegistry option "${name}" must be a number > 0 (got ${value})`;
}

function nonNegative(value: number | undefined, name: string): string | undefined {
  if (value === undefined || (Number.isFinite(value) && value >= 0)) return undefined;
  return `SessionRegistry option "${name}" must be a number >= 0 (got ${value})`;
}
