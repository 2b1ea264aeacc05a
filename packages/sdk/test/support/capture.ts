import { createLogger, type Logger, type LoggerOptions } from '../../src/index.js';

/** A parsed log line. */
export type Line = Record<string, unknown>;

/** A log destination that keeps every line, for assertions. */
export class CapturedLines {
  readonly raw: string[] = [];

  write(chunk: string): void {
    this.raw.push(chunk);
  }

  get lines(): Line[] {
    return this.raw.map((text) => JSON.parse(text) as Line);
  }

  clear(): void {
    this.raw.length = 0;
  }
}

/** A logger writing JSON into a CapturedLines, with an empty environment unless given. */
export function captureLogger(options: Partial<LoggerOptions> = {}): { log: Logger; out: CapturedLines } {
  const out = new CapturedLines();
  const log = createLogger({ service: 'test', env: {}, destination: out, ...options });
  return { log, out };
}
