import { createHash } from 'node:crypto';
import { ScrapeLoop, type ScrapeLoopOptions } from './scrape-loop.js';
import type { SampleSink, ScrapeTarget } from './target.js';

/**
 * One scrape loop per target. `sync()` takes the current target list (after discovery and
 * relabeling): new targets start, vanished ones stop (their series get staleness markers).
 * A target's key covers its settings, so a target whose job config changed restarts. Each target's first scrape is offset by a hash of
 * the target within its interval, so a hundred targets do not all fire at the same moment,
 * and the offset is stable across restarts as in Prometheus.
 */
export class ScrapeManager {
  private readonly sink: SampleSink;
  private readonly options: ScrapeLoopOptions;
  private readonly loops = new Map<string, ScrapeLoop>();
  private readonly seed: string;

  constructor(sink: SampleSink, options: ScrapeLoopOptions & { seed?: string } = {}) {
    this.sink = sink;
    this.options = options;
    this.seed = options.seed ?? '';
  }

  /** The running loops, in target order of the last sync. */
  get active(): ScrapeLoop[] {
    return [...this.loops.values()];
  }

  /** Makes the running loops match `targets`; resolves once removed loops have stopped. */
  async sync(targets: readonly ScrapeTarget[]): Promise<void> {
    const wanted = new Map(targets.map((t) => [t.key, t]));
    const stopping: Promise<void>[] = [];
    for (const [key, loop] of this.loops) {
      if (wanted.has(key)) continue;
      this.loops.delete(key);
      stopping.push(loop.stop());
    }
    await Promise.all(stopping);
    for (const target of targets) {
      if (this.loops.has(target.key)) continue;
      const loop = new ScrapeLoop(target, this.sink, this.options);
      this.loops.set(target.key, loop);
      loop.start(this.offsetOf(target));
    }
  }

  /** Stops every loop (on shutdown): their series are marked stale. */
  async stop(): Promise<void> {
    const loops = [...this.loops.values()];
    this.loops.clear();
    await Promise.all(loops.map((loop) => loop.stop()));
  }

  private offsetOf(target: ScrapeTarget): number {
    const digest = createHash('sha256').update(this.seed).update(target.key).digest();
    return digest.readUInt32BE(0) % Math.max(1, target.intervalMs);
  }
}
