import { Writable } from 'node:stream';
import { context, createLogger } from '@vigil/sdk';
import pino from 'pino';
import winston from 'winston';

const SERVICE = 'bench';
const REQUEST = { correlation_id: 'req-7f3a9c21', user_id: 'u-1842', channel: 'api', task_id: 'task-311' };
const MESSAGE = 'tool call completed';
/** Lines each request writes in the per-request cases. */
export const LINES_PER_REQUEST = 5;

/** Discards lines, counting them so that a case that silently writes nothing fails the run. */
export class CountingSink {
  lines = 0;
  bytes = 0;
  write(line: string): void {
    this.lines++;
    this.bytes += line.length;
  }
}

/** Which table of the report a case belongs to. */
export type Table = 'one-request' | 'per-request' | 'disabled';

/** A logging case: its place in the report, and how to build its loop around a sink. */
export interface LoggingCase {
  id: string;
  label: string;
  table: Table;
  /** Builds the logger over `sink` and returns the loop that writes n lines. */
  setup(sink: CountingSink): (n: number) => void | Promise<void>;
}

const isoShape = {
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label: string) => ({ level: label }) },
  base: { service: SERVICE },
};

const vigilLogger = (sink: CountingSink) => createLogger({ service: SERVICE, destination: sink, env: {} });

/** Every logging case, in report order. Each runs alone in its own process (see CaseProcess). */
export const LOGGING_CASES: readonly LoggingCase[] = [
  {
    id: 'pino',
    label: 'pino, defaults',
    table: 'one-request',
    setup(sink) {
      const log = pino({}, sink);
      return (n) => {
        for (let i = 0; i < n; i++) log.info({ tool: 'search_docs', duration_ms: 12.5, tokens: 321 }, MESSAGE);
      };
    },
  },
  {
    id: 'pino-shaped',
    label: "pino, Vigil's line shape (ISO time, level label, service)",
    table: 'one-request',
    setup(sink) {
      const log = pino(isoShape, sink);
      return (n) => {
        for (let i = 0; i < n; i++) log.info({ tool: 'search_docs', duration_ms: 12.5, tokens: 321 }, MESSAGE);
      };
    },
  },
  {
    id: 'vigil',
    label: 'Vigil, outside any context',
    table: 'one-request',
    setup(sink) {
      const log = vigilLogger(sink);
      return (n) => {
        for (let i = 0; i < n; i++) log.info({ tool: 'search_docs', duration_ms: 12.5, tokens: 321 }, MESSAGE);
      };
    },
  },
  {
    id: 'vigil-context',
    label: '**Vigil, inside context.run (4 request fields)**',
    table: 'one-request',
    setup(sink) {
      const log = vigilLogger(sink);
      return (n) =>
        context.run(REQUEST, () => {
          for (let i = 0; i < n; i++) log.info({ tool: 'search_docs', duration_ms: 12.5, tokens: 321 }, MESSAGE);
        });
    },
  },
  {
    id: 'winston',
    label: 'winston, timestamp + json, request fields as child metadata',
    table: 'one-request',
    setup(sink) {
      // winston has no async context: the request's fields ride on a child's metadata, its idiom for them.
      const log = winstonLogger(sink).child({ ...REQUEST });
      return async (n) => {
        for (let i = 0; i < n; i++) log.info(MESSAGE, { tool: 'search_docs', duration_ms: 12.5, tokens: 321 });
        // winston's Stream transport defers a 'logged' event per line with setImmediate: its cost too.
        await new Promise(setImmediate);
      };
    },
  },
  {
    id: 'pino-per-request',
    label: "pino, Vigil's shape, a child logger per request",
    table: 'per-request',
    setup(sink) {
      const root = pino(isoShape, sink);
      return (n) => {
        for (let done = 0; done < n; ) {
          const log = root.child(REQUEST);
          for (let j = 0; j < LINES_PER_REQUEST && done < n; j++, done++) {
            log.info({ tool: 'search_docs', duration_ms: 12.5, tokens: 321 }, MESSAGE);
          }
        }
      };
    },
  },
  {
    id: 'vigil-per-request',
    label: 'Vigil, a context.run per request',
    table: 'per-request',
    setup(sink) {
      const log = vigilLogger(sink);
      return (n) => {
        for (let done = 0; done < n; ) {
          context.run(REQUEST, () => {
            for (let j = 0; j < LINES_PER_REQUEST && done < n; j++, done++) {
              log.info({ tool: 'search_docs', duration_ms: 12.5, tokens: 321 }, MESSAGE);
            }
          });
        }
      };
    },
  },
  {
    id: 'pino-off',
    label: 'pino, debug at level info',
    table: 'disabled',
    setup(sink) {
      const log = pino({}, sink);
      return (n) => {
        for (let i = 0; i < n; i++) log.debug({ tool: 'search_docs', duration_ms: 12.5, tokens: 321 }, MESSAGE);
      };
    },
  },
  {
    id: 'vigil-off',
    label: 'Vigil, debug at level info',
    table: 'disabled',
    setup(sink) {
      const log = vigilLogger(sink);
      return (n) => {
        for (let i = 0; i < n; i++) log.debug({ tool: 'search_docs', duration_ms: 12.5, tokens: 321 }, MESSAGE);
      };
    },
  },
];

/** winston as its docs configure JSON lines, through its Stream transport into a Writable over `sink`. */
function winstonLogger(sink: CountingSink): winston.Logger {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      sink.write(chunk);
      done();
    },
  });
  return winston.createLogger({
    level: 'info',
    defaultMeta: { service: SERVICE },
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream })],
  });
}
