// Silences as Alertmanager keeps them: matchers, a time window, who made it and why. A silenced alert is not
// notified. Kept in a JSON file (written whole, atomically) so they outlive a restart.

import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ServerError } from '../errors.js';
import {
  type AlertMatcher,
  type ApiMatcher,
  compileMatcher,
  compileMatchers,
  fromApiMatcher,
  toApiMatcher,
} from './matchers.js';

/** A stored silence; times in ms since the epoch. */
export interface Silence {
  id: string;
  matchers: AlertMatcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  updatedAt: number;
}

/** A silence as the API shows it (Alertmanager API v2's gettableSilence). */
export interface SilenceView {
  id: string;
  matchers: ApiMatcher[];
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'pending' | 'active' | 'expired' };
}

/** Expired silences are forgotten after this long (Alertmanager's --data.retention, 120h). */
export const SILENCE_RETENTION_MS = 120 * 3_600_000;
const MAX_SILENCES = 10_000;

/** The silences, with validation at the boundary. */
export class Silences {
  readonly #now: () => number;
  readonly #file: string | undefined;
  readonly #silences = new Map<string, Silence & { test: (labels: Readonly<Record<string, string>>) => boolean }>();

  /** Loads `file` when given (a missing file is an empty list; a broken one is an error). */
  constructor(options: { now: () => number; file?: string }) {
    this.#now = options.now;
    this.#file = options.file;
    if (this.#file) this.#load(this.#file);
  }

  /**
   * Creates a silence, or updates the one with `input.id` while it has not expired. Throws ServerError
   * VIGIL_BAD_SILENCE naming what is wrong.
   */
  upsert(input: unknown): Silence {
    const now = this.#now();
    const silence = validateSilence(input, now);
    const existing =
      typeof (input as { id?: unknown }).id === 'string' ? this.#silences.get((input as { id: string }).id) : undefined;
    if ((input as { id?: unknown }).id !== undefined && (input as { id?: unknown }).id !== '' && !existing)
      throw bad(`no silence with id ${JSON.stringify((input as { id?: unknown }).id)}`);
    if (existing && existing.endsAt > now) silence.id = existing.id;
    if (!existing && this.#silences.size >= MAX_SILENCES) {
      this.#gc(now);
      if (this.#silences.size >= MAX_SILENCES)
        throw bad(`there are already ${MAX_SILENCES} silences: expire some first`);
    }
    this.#silences.set(silence.id, { ...silence, test: compileMatchers(silence.matchers) });
    this.#save();
    return silence;
  }

  /** Expires a silence now (a pending one ends before it starts). False when there is no such silence. */
  expire(id: string): boolean {
    const silence = this.#silences.get(id);
    if (!silence) return false;
    const now = this.#now();
    if (silence.endsAt <= now) return true;
    silence.endsAt = now;
    if (silence.startsAt > now) silence.startsAt = now;
    silence.updatedAt = now;
    this.#save();
    return true;
  }

  /** Every silence (expired ones until they are forgotten), newest first. */
  list(): SilenceView[] {
    const now = this.#now();
    this.#gc(now);
    return [...this.#silences.values()].sort((a, b) => b.updatedAt - a.updatedAt).map((s) => view(s, now));
  }

  /** One silence, or undefined. */
  get(id: string): SilenceView | undefined {
    const s = this.#silences.get(id);
    return s && view(s, this.#now());
  }

  /** Ids of the active silences that match `labels`. */
  silencedBy(labels: Readonly<Record<string, string>>, now = this.#now()): string[] {
    const ids: string[] = [];
    for (const s of this.#silences.values()) if (s.startsAt <= now && s.endsAt > now && s.test(labels)) ids.push(s.id);
    return ids;
  }

  #gc(now: number): void {
    let changed = false;
    for (const [id, s] of this.#silences)
      if (s.endsAt + SILENCE_RETENTION_MS < now) {
        this.#silences.delete(id);
        changed = true;
      }
    if (changed) this.#save();
  }

  #load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const stored = JSON.parse(text) as Silence[];
      for (const s of stored) this.#silences.set(s.id, { ...s, test: compileMatchers(s.matchers) });
    } catch (error) {
      throw new ServerError(
        'VIGIL_BAD_SILENCE',
        `${file}: not a silences file Vigil wrote (${(error as Error).message}); move it away to start without its silences`,
        { cause: error },
      );
    }
  }

  #save(): void {
    if (!this.#file) return;
    mkdirSync(dirname(this.#file), { recursive: true });
    const tmp = `${this.#file}.tmp`;
    const rows = [...this.#silences.values()].map(({ test: _test, ...s }) => s);
    writeFileSync(tmp, JSON.stringify(rows));
    renameSync(tmp, this.#file);
  }
}

function view(s: Silence, now: number): SilenceView {
  const state = s.endsAt <= now ? 'expired' : s.startsAt > now ? 'pending' : 'active';
  return {
    id: s.id,
    matchers: s.matchers.map(toApiMatcher),
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(s.endsAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
    createdBy: s.createdBy,
    comment: s.comment,
    status: { state },
  };
}

/** Checks a posted silence (Alertmanager API v2's postableSilence); throws VIGIL_BAD_SILENCE. */
export function validateSilence(input: unknown, now: number): Silence {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw bad('expected a JSON object');
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body))
    if (!['id', 'matchers', 'startsAt', 'endsAt', 'createdBy', 'comment'].includes(key))
      throw bad(`unknown field ${JSON.stringify(key)}`);
  if (!Array.isArray(body.matchers) || body.matchers.length === 0)
    throw bad('matchers: at least one matcher is required');
  const matchers = body.matchers.map((m, i) => {
    if (typeof m !== 'object' || m === null) throw bad(`matchers[${i}]: expected {name, value, isRegex, isEqual}`);
    const { name, value, isRegex, isEqual } = m as Record<string, unknown>;
    if (typeof name !== 'string' || typeof value !== 'string')
      throw bad(`matchers[${i}]: name and value must be strings`);
    if (isRegex !== undefined && typeof isRegex !== 'boolean')
      throw bad(`matchers[${i}].isRegex: expected true or false`);
    if (isEqual !== undefined && typeof isEqual !== 'boolean')
      throw bad(`matchers[${i}].isEqual: expected true or false`);
    const matcher = fromApiMatcher({
      name,
      value,
      isRegex: isRegex === true,
      ...(isEqual === undefined ? {} : { isEqual }),
    });
    try {
      compileMatcher(matcher);
    } catch (error) {
      throw bad(`matchers[${i}]: ${(error as Error).message}`);
    }
    return matcher;
  });
  if (matchers.every((m) => compileMatcher(m)({})))
    throw bad('matchers: at least one matcher must not match the empty string (these would silence every alert)');
  const startsAt = body.startsAt === undefined ? now : time(body.startsAt, 'startsAt');
  const endsAt = time(body.endsAt, 'endsAt');
  if (endsAt <= startsAt) throw bad('endsAt must be after startsAt');
  if (endsAt <= now) throw bad('endsAt is in the past: the silence would never be active');
  const createdBy = typeof body.createdBy === 'string' ? body.createdBy.trim() : '';
  if (createdBy === '') throw bad('createdBy is required (who is silencing)');
  const comment = typeof body.comment === 'string' ? body.comment.trim() : '';
  if (comment === '') throw bad('comment is required (why the alerts are silenced)');
  if (comment.length > 4096 || createdBy.length > 256) throw bad('comment (4096) or createdBy (256) is too long');
  return { id: randomUUID(), matchers, startsAt: Math.max(startsAt, now), endsAt, createdBy, comment, updatedAt: now };
}

function time(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(ms)) return ms;
  }
  throw bad(`${field}: expected an RFC 3339 time such as 2026-11-23T15:00:00Z, got ${JSON.stringify(value)}`);
}

function bad(why: string): ServerError {
  return new ServerError('VIGIL_BAD_SILENCE', `silence: ${why}`);
}
