import type { CaseRunner } from '../harness/rounds.js';

/** A case run in this process: `run(n)` performs n operations; the runner times it (after a gc). */
export function timed(id: string, run: (n: number) => Promise<void>): CaseRunner {
  const gc = (globalThis as { gc?: () => void }).gc;
  return {
    id,
    async run(n) {
      gc?.();
      const start = process.hrtime.bigint();
      await run(n);
      return Number(process.hrtime.bigint() - start) / 1e6;
    },
  };
}
