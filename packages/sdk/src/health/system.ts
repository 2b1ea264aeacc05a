import { statfsSync } from 'node:fs';
import { freemem, loadavg, totalmem } from 'node:os';

/** Process and host figures for the detailed health. */
export interface SystemReport {
  cpu_percent: number;
  rss_bytes: number;
  heap_used_bytes: number;
  heap_total_bytes: number;
  load_average: [number, number, number];
  free_memory_bytes: number;
  total_memory_bytes: number;
  disk: DiskReport | null;
}

/** Disk use of the data directory. */
export interface DiskReport {
  path: string;
  total_bytes: number;
  free_bytes: number;
  used_percent: number;
}

/** Samples system figures; CPU is the process's share of one core since the previous sample. */
export class SystemSampler {
  readonly #dataDir: string | undefined;
  #lastCpu = process.cpuUsage();
  #lastAt = performance.now();

  constructor(dataDir: string | undefined) {
    this.#dataDir = dataDir;
  }

  /** Takes a sample now. */
  sample(): SystemReport {
    const cpu = process.cpuUsage(this.#lastCpu);
    const now = performance.now();
    const elapsedUs = Math.max(1, (now - this.#lastAt) * 1000);
    this.#lastCpu = process.cpuUsage();
    this.#lastAt = now;
    const memory = process.memoryUsage();
    const [one, five, fifteen] = loadavg() as [number, number, number];
    return {
      cpu_percent: round(((cpu.user + cpu.system) / elapsedUs) * 100),
      rss_bytes: memory.rss,
      heap_used_bytes: memory.heapUsed,
      heap_total_bytes: memory.heapTotal,
      load_average: [round(one), round(five), round(fifteen)],
      free_memory_bytes: freemem(),
      total_memory_bytes: totalmem(),
      disk: this.#dataDir === undefined ? null : disk(this.#dataDir),
    };
  }
}

function disk(path: string): DiskReport | null {
  try {
    const stats = statfsSync(path);
    const total = stats.blocks * stats.bsize;
    const free = stats.bavail * stats.bsize;
    return {
      path,
      total_bytes: total,
      free_bytes: free,
      used_percent: total > 0 ? round((1 - free / total) * 100) : 0,
    };
  } catch {
    return null; // a data dir that does not exist yet has no disk figure, not an error
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
