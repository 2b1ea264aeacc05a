import type { Label } from '@vigil/tsdb';
import type { ScrapeConfig, VigilConfig } from '../config/types.js';
import { ServerError } from '../errors.js';
import { type DiscoveryTimers, FileDiscovery, realTimers } from './file-sd.js';
import { configFingerprint, type Target, targetsFromGroup } from './target.js';

/** What changed in one job's targets; `targets` is the whole new list. */
export interface TargetChange {
  job: string;
  targets: Target[];
  added: Target[];
  removed: Target[];
}

/** A target relabeling dropped, kept for the targets API (Prometheus shows them as dropped targets). */
export interface DroppedTarget {
  job: string;
  discoveredLabels: Label[];
}

/** Options of TargetDiscovery. */
export interface TargetDiscoveryOptions {
  /** Watch file_sd directories with fs.watch (default true); the refresh_interval poll runs either way. */
  watch?: boolean;
  timers?: DiscoveryTimers;
}

interface JobState {
  config: ScrapeConfig;
  files: FileDiscovery[];
  targets: Target[];
  dropped: Label[][];
  errors: string[];
  /** False until the job's first read is reported: file updates before that only fill the files' groups. */
  live: boolean;
}

type Listener<T> = (value: T) => void;

/**
 * The targets of every job, from static_configs and file_sd_configs, relabeled as Prometheus does. `start()`
 * reads everything once and reports each job with a `change` event; later file changes report only the jobs
 * whose targets changed, and `reload()` the jobs a new configuration changed. Problems (a bad file_sd file, a
 * target relabeled into nonsense) go to `error` listeners and `errors()`, and never remove targets already
 * accepted from a file.
 */
export class TargetDiscovery {
  private jobs: JobState[];
  private readonly options: TargetDiscoveryOptions;
  private readonly changeListeners = new Set<Listener<TargetChange>>();
  private readonly errorListeners = new Set<Listener<Error>>();
  private started = false;
  private stopped = false;

  constructor(config: Pick<VigilConfig, 'scrapeConfigs'>, options: TargetDiscoveryOptions = {}) {
    this.options = options;
    this.jobs = config.scrapeConfigs.map((job) => this.jobState(job));
  }

  /**
   * Subscribes to a job's new target list, or to problems (a ServerError for a bad file or target; the error a
   * change listener threw, which is not rethrown); returns the unsubscribe function.
   */
  on(event: 'change', listener: Listener<TargetChange>): () => void;
  on(event: 'error', listener: Listener<Error>): () => void;
  on(event: 'change' | 'error', listener: Listener<TargetChange> | Listener<Error>): () => void {
    const set = (event === 'change' ? this.changeListeners : this.errorListeners) as Set<unknown>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Reads static and file targets, starts watching files, and emits `change` once for every job. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.open(this.jobs, new Map());
  }

  /**
   * Switches to a new configuration (a config reload): a job whose scrape config is unchanged keeps its targets
   * and file watches and reports nothing; a changed job is read again and reported with all its old targets
   * removed and its new ones added (their keys differ, so scrape loops restart with the new settings); a job
   * that is gone is reported with no targets; a new job is read and reported. Await one reload before the next.
   */
  async reload(config: Pick<VigilConfig, 'scrapeConfigs'>): Promise<void> {
    const previous = new Map(this.jobs.map((job) => [job.config.jobName, job]));
    const kept = new Set<JobState>();
    const next = config.scrapeConfigs.map((job) => {
      const old = previous.get(job.jobName);
      if (old !== undefined && configFingerprint(old.config) === configFingerprint(job)) {
        kept.add(old);
        return old;
      }
      return this.jobState(job);
    });
    this.jobs = next;
    if (!this.started || this.stopped) return;
    const replaced = new Map<string, Target[]>();
    for (const old of previous.values()) {
      if (kept.has(old)) continue;
      for (const f of old.files) f.stop();
      replaced.set(old.config.jobName, old.targets);
    }
    await this.open(
      next.filter((job) => !kept.has(job)),
      replaced,
    );
    for (const [job, targets] of replaced) {
      if (!next.some((j) => j.config.jobName === job))
        this.emitChange({ job, targets: [], added: [], removed: targets });
    }
  }

  // Reads new jobs, then reports each: its targets added, the targets of the job it replaces removed.
  private async open(jobs: JobState[], replaced: ReadonlyMap<string, Target[]>): Promise<void> {
    await Promise.all(jobs.flatMap((job) => job.files.map((f) => f.start(this.options.watch ?? true))));
    for (const job of jobs) this.update(job, false);
    for (const job of jobs) {
      job.live = true;
      const removed = replaced.get(job.config.jobName) ?? [];
      this.emitChange({ job: job.config.jobName, targets: job.targets, added: job.targets, removed });
    }
  }

  private jobState(config: ScrapeConfig): JobState {
    const state: JobState = { config, files: [], targets: [], dropped: [], errors: [], live: false };
    const timers = this.options.timers ?? realTimers;
    state.files = config.fileSdConfigs.map(
      (sd) => new FileDiscovery(sd, () => state.live && this.update(state, true), timers),
    );
    return state;
  }

  /** Stops watching and polling for good; idempotent. */
  stop(): void {
    this.stopped = true;
    for (const job of this.jobs) for (const f of job.files) f.stop();
  }

  /** Re-reads every file_sd file now (as a poll would). */
  async refresh(): Promise<void> {
    await Promise.all(this.jobs.flatMap((job) => job.files.map((f) => f.refresh())));
  }

  /** The current targets of every job, jobs in config order. */
  targets(): Target[] {
    return this.jobs.flatMap((job) => job.targets);
  }

  /** The current targets of one job (empty for an unknown job). */
  targetsOf(job: string): Target[] {
    return this.jobs.find((j) => j.config.jobName === job)?.targets ?? [];
  }

  /** Targets relabeling dropped, with their labels before relabeling. */
  dropped(): DroppedTarget[] {
    return this.jobs.flatMap((job) =>
      job.dropped.map((discoveredLabels) => ({ job: job.config.jobName, discoveredLabels })),
    );
  }

  /** Current problems: file_sd files that fail to read (their last good targets stay) and refused targets. */
  errors(): ServerError[] {
    return this.jobs.flatMap((job) => [
      ...job.files.flatMap((f) => f.errors()),
      ...job.errors.map((m) => new ServerError('VIGIL_BAD_CONFIG', m)),
    ]);
  }

  private update(job: JobState, emit: boolean): void {
    const groups = [...job.config.staticConfigs, ...job.files.flatMap((f) => f.groups())];
    const seen = new Set<string>();
    const targets: Target[] = [];
    const dropped: Label[][] = [];
    const errors: string[] = [];
    for (const group of groups) {
      const built = targetsFromGroup(job.config, group);
      // Equal targets from several groups are scraped once, as Prometheus does.
      for (const t of built.targets) {
        if (seen.has(t.key)) continue;
        seen.add(t.key);
        targets.push(t);
      }
      dropped.push(...built.dropped);
      errors.push(...built.errors);
    }
    const fileErrors = job.files.flatMap((f) => f.errors());
    const before = new Map(job.targets.map((t) => [t.key, t]));
    const added = targets.filter((t) => !before.has(t.key));
    const removed = job.targets.filter((t) => !seen.has(t.key));
    const newErrors = errors.filter((m) => !job.errors.includes(m)).map((m) => new ServerError('VIGIL_BAD_CONFIG', m));
    job.targets = targets;
    job.dropped = dropped;
    job.errors = errors;
    for (const err of [...this.freshFileErrors(job, fileErrors), ...newErrors]) this.emitError(err);
    if (emit && (added.length > 0 || removed.length > 0))
      this.emitChange({ job: job.config.jobName, targets, added, removed });
  }

  private readonly reported = new WeakMap<JobState, Set<string>>();

  // A file's error is reported once, not again at every poll while the file stays broken.
  private freshFileErrors(job: JobState, errors: ServerError[]): ServerError[] {
    const previous = this.reported.get(job) ?? new Set<string>();
    const current = new Set(errors.map((e) => e.message));
    this.reported.set(job, current);
    return errors.filter((e) => !previous.has(e.message));
  }

  private emitChange(change: TargetChange): void {
    for (const listener of this.changeListeners) {
      try {
        listener(change);
      } catch (err) {
        // A bug in a listener is reported, not thrown into discovery.
        this.emitError(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  private emitError(err: Error): void {
    for (const listener of this.errorListeners) {
      try {
        listener(err);
      } catch {
        // An error listener that throws has nowhere left to report to.
      }
    }
  }
}
