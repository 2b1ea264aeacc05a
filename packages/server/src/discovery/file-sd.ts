import { type FSWatcher, watch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileSdConfig, TargetGroup } from '../config/types.js';
import { ServerError } from '../errors.js';
import { parseTargetFile } from './target-file.js';

/** The timers file discovery uses; injected so tests drive time. */
export interface DiscoveryTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The global timers, unref'd: keeping targets fresh never holds the process open. */
export const realTimers: DiscoveryTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** How long file events are gathered before one re-read (an editor's save is several events). */
const SETTLE_MS = 25;

/**
 * The target groups of one file_sd_configs entry, re-read when a watched directory changes and every
 * refresh_interval. A file that fails to read or parse keeps its last good groups and reports the error; a file
 * that disappears takes its groups with it.
 */
export class FileDiscovery {
  readonly config: FileSdConfig;
  private readonly timers: DiscoveryTimers;
  private readonly onUpdate: () => void;
  private readonly groupsByFile = new Map<string, TargetGroup[]>();
  private readonly errorsByFile = new Map<string, ServerError>();
  private readonly watchers: FSWatcher[] = [];
  private poll: unknown;
  private settle: unknown;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  /** `onUpdate` runs after every re-read that changed the groups or the errors. */
  constructor(config: FileSdConfig, onUpdate: () => void, timers: DiscoveryTimers = realTimers) {
    this.config = config;
    this.onUpdate = onUpdate;
    this.timers = timers;
  }

  /** Reads the files once, then watches their directories and polls every refresh_interval. */
  async start(watchFiles = true): Promise<void> {
    await this.refresh();
    if (this.stopped) return;
    if (watchFiles) {
      for (const dir of new Set(this.config.files.map((f) => dirname(f)))) {
        try {
          const watcher = watch(dir, { persistent: false }, () => this.scheduleRefresh());
          watcher.on('error', () => {}); // a vanished directory: the poll still finds it again later
          this.watchers.push(watcher);
        } catch {
          // The directory does not exist yet; the poll picks the files up once it does.
        }
      }
    }
    this.poll = this.timers.setInterval(() => void this.refresh(), this.config.refreshInterval);
  }

  /** Stops watching and polling; idempotent. */
  stop(): void {
    this.stopped = true;
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
    if (this.poll !== undefined) this.timers.clearInterval(this.poll);
    if (this.settle !== undefined) this.timers.clearTimeout(this.settle);
  }

  /** The current groups of every file, files in path order. */
  groups(): TargetGroup[] {
    return [...this.groupsByFile.keys()].sort().flatMap((file) => this.groupsByFile.get(file)!);
  }

  /** The current error of each file that failed its last read. */
  errors(): ServerError[] {
    return [...this.errorsByFile.values()];
  }

  /** Re-reads every file now; concurrent calls coalesce into one more read. */
  async refresh(): Promise<void> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.readAll();
      } while (this.again && !this.stopped);
    })();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private scheduleRefresh(): void {
    if (this.stopped) return;
    if (this.settle !== undefined) this.timers.clearTimeout(this.settle);
    this.settle = this.timers.setTimeout(() => {
      this.settle = undefined;
      void this.refresh();
    }, SETTLE_MS);
  }

  private async readAll(): Promise<void> {
    const files = await listFiles(this.config.files);
    let changed = false;
    for (const file of [...this.groupsByFile.keys()]) {
      if (files.includes(file)) continue;
      this.groupsByFile.delete(file);
      changed = true;
    }
    for (const file of [...this.errorsByFile.keys()]) {
      if (files.includes(file)) continue;
      this.errorsByFile.delete(file);
      changed = true;
    }
    for (const file of files) {
      let groups: TargetGroup[];
      try {
        groups = parseTargetFile(await readFile(file, 'utf8'), file);
      } catch (err) {
        const error =
          err instanceof ServerError
            ? err
            : new ServerError('VIGIL_BAD_CONFIG', `${file}: cannot read: ${(err as Error).message}`, { cause: err });
        // Keep the last good groups of the file: a half-written file must not drop accepted targets.
        if (this.errorsByFile.get(file)?.message !== error.message) changed = true;
        this.errorsByFile.set(file, error);
        continue;
      }
      if (this.errorsByFile.delete(file)) changed = true;
      if (JSON.stringify(this.groupsByFile.get(file)) !== JSON.stringify(groups)) changed = true;
      this.groupsByFile.set(file, groups);
    }
    if (changed && !this.stopped) this.onUpdate();
  }
}

/** The existing files matching the patterns (a `*`, `?` or `[...]` glob in the last component), sorted. */
async function listFiles(patterns: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const dir = dirname(pattern);
    const base = basename(pattern);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    const match = globRegex(base);
    for (const name of names) if (match.test(name)) found.add(join(dir, name));
  }
  return [...found].sort();
}

function globRegex(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) source += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        source += `[${body.startsWith('^') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
