import type { Label } from '@vigil/tsdb';
import type { ScrapeConfig, VigilConfig } from '../config/types.js';
import { ServerError } from '../errors.js';
import { type DiscoveryTimers, FileDiscovery, realTimers } from './file-sd.js';
import { type Target, targetsFromGroup } from './target.js';

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
}

type Listener<T> = (value: T) => void;

/**
 * The targets of every job, from static_configs and file_sd_configs, relabeled as Prometheus does. `start()`
 * reads everything once and reports each job with a `change` event; later file changes report only the jobs
 * whose targets changed. Problems (a bad file_sd file, a target relabeled into nonsense) go to `error`
 * listeners and `errors()`, and never remove targets already accepted from a file.
 */
export class TargetDiscovery {
  private readonly jobs: JobState[];
  private readonly options: TargetDiscoveryOptions;
  private readonly changeListeners = new Set<Listener<TargetChange>>();
  private readonly errorListeners = new Set<Listener<Error>>();
  private started = false;
  private ready = false;

  constructor(config: Pick<VigilConfig, 'scrapeConfigs'>, options: TargetDiscoveryOptions = {}) {
    this.options = options;
    this.jobs = config.scrapeConfigs.map((job) => {
      const state: JobState = { config: job, files: [], targets: [], dropped: [], errors: [] };
      state.files = job.fileSdConfigs.map(
        // Until start() has reported every job, file updates only fill the files' groups.
        (sd) => new FileDiscovery(sd, () => this.ready && this.update(state, true), options.timers ?? realTimers),
      );
      return state;
    });
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
    await Promise.all(this.jobs.flatMap((job) => job.files.map((f) => f.start(this.options.watch ?? true))));
    for (const job of this.jobs) this.update(job, false);
    this.ready = true;
    for (const job of this.jobs)
      this.emitChange({ job: job.config.jobName, targets: job.targets, added: job.targets, removed: [] });
  }

  /** Stops watching and polling; idempotent. */
  stop(): void {
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
