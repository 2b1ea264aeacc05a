import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { FieldValue } from '../context/context.js';
import { VigilError } from '../errors.js';
import { type EventType, isKnownEventType, levelOfEvent } from './events.js';
import { type LogFilter, parseLogFilter } from './filter.js';
import { LEVELS, type LevelName, pinoLevel } from './levels.js';
import { type RedactOptions, Redactor } from './redact.js';
import { BOUND_CONTEXT_KEYS, contextLogMethod } from './scoped.js';

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** The `service` field of every line. */
  service: string;
  /** An env-filter (`info,scrape=debug`) used when `VIGIL_LOG` is not set. Default `info`. */
  level?: string;
  /** `pretty` for humans (needs the pino-pretty package), `json` otherwise. Default from `VIGIL_LOG_FORMAT`, else json. */
  format?: 'json' | 'pretty';
  /** Where lines go (pretty ones too); default stdout, written synchronously as pino does by default, so lines keep their order and none is lost at exit. */
  destination?: pino.DestinationStream;
  /** Secret hiding; on by default, `false` turns it off. */
  redact?: RedactOptions | false;
  /** Extra fields on every line, such as `version` or `env`. */
  base?: Record<string, FieldValue>;
  /** Environment to read `VIGIL_LOG` and `VIGIL_LOG_FORMAT` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Clock in epoch milliseconds, for tests. */
  now?: () => number;
}

/** A log method: `log.info('msg')`, `log.info({ key: 1 }, 'msg')`, `log.error(err)`. */
export interface LogFn {
  (msg: string, ...args: unknown[]): void;
  (obj: object, msg?: string, ...args: unknown[]): void;
}

/** A Vigil logger: pino underneath, with the five levels, events and module children. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warning: LogFn;
  error: LogFn;
  critical: LogFn;
  /** Writes `{event: type, ...fields}` at the level the event's name implies. */
  event(type: EventType, fields?: Record<string, unknown>, msg?: string): void;
  /** A child logger with `bindings` on every line; a `module` binding takes that module's level from the filter. */
  child(bindings: Record<string, unknown>): Logger;
  /** Shorthand for `child({ module: name })`. */
  module(name: string): Logger;
  /** The current level name (`off` shows as `silent`). */
  level: string;
  isLevelEnabled(level: LevelName): boolean;
  /** Flushes buffered output (a no-op for synchronous destinations). */
  flush(callback?: (err?: Error) => void): void;
  /** The filter this logger was built from. */
  readonly filter: LogFilter;
}

const MODULE = Symbol('vigil.module');
const MAX_UNKNOWN_EVENTS_WARNED = 256;

type PinoLogger = pino.Logger<LevelName> & {
  [MODULE]?: string;
  [BOUND_CONTEXT_KEYS]?: readonly string[];
};

let defaultLogger: Logger | undefined;

/** Creates a logger; the first one created becomes the SDK's default (see `getLogger`). */
export function createLogger(options: LoggerOptions): Logger {
  if (typeof options?.service !== 'string' || options.service === '') {
    throw new VigilError('VIGIL_BAD_OPTION', 'createLogger: option "service" must be a non-empty string');
  }
  const env = options.env ?? process.env;
  const filter = parseLogFilter(env.VIGIL_LOG ?? options.level, 'info');
  const format = options.format ?? (env.VIGIL_LOG_FORMAT === 'pretty' ? 'pretty' : 'json');
  const redactor = options.redact === false ? undefined : new Redactor(options.redact);
  const destination =
    format === 'pretty'
      ? prettyStream(options.destination)
      : (options.destination ?? pino.destination({ dest: 1, sync: true }));

  const root = pino(
    {
      level: pinoLevel(filter.defaultLevel),
      customLevels: LEVELS,
      useOnlyCustomLevels: true,
      base: { service: options.service, ...options.base },
      timestamp: isoTime(options.now ?? Date.now),
      formatters: { level: (label) => ({ level: label }) },
      serializers: serializers(redactor),
      hooks: { logMethod: contextLogMethod(redactor) },
    },
    destination,
  ) as unknown as PinoLogger;

  decorate(root, filter, redactor);
  const logger = root as unknown as Logger;
  defaultLogger ??= logger;
  return logger;
}

/** The SDK's default logger (the first one created), used by middleware when none is given. */
export function getLogger(): Logger {
  defaultLogger ??= createLogger({ service: process.env.VIGIL_SERVICE ?? 'app' });
  return defaultLogger;
}

/** Makes `logger` the default that middleware and recorders use. */
export function setDefaultLogger(logger: Logger): void {
  defaultLogger = logger;
}

function decorate(root: PinoLogger, filter: LogFilter, redactor: Redactor | undefined): void {
  const pinoChild = root.child;
  const warnedEvents = new Set<string>();
  const eventLevels = new Map<string, LevelName>();
  Object.defineProperty(root, 'filter', { value: filter });

  // Children inherit these through pino's prototype chain (child = Object.create(parent)).
  root.child = function child(this: PinoLogger, bindings: Record<string, unknown>, options?: pino.ChildLoggerOptions) {
    const safe = redactor ? redactor.redact(bindings) : bindings;
    const instance = pinoChild.call(this, safe, options as never) as unknown as PinoLogger;
    const name = safe.module;
    if (typeof name === 'string' && name !== this[MODULE]) {
      if (this[MODULE] !== undefined) dropEarlierModule(instance);
      instance[MODULE] = name;
      instance.level = pinoLevel(filter.levelFor(name));
    }
    // Any key a child binds (a context key included) is then written by the bindings only.
    instance[BOUND_CONTEXT_KEYS] = [...(this[BOUND_CONTEXT_KEYS] ?? []), ...Object.keys(safe)];
    return instance;
  } as unknown as typeof root.child;

  Object.assign(root, {
    module(this: PinoLogger, name: string) {
      return this.child({ module: name });
    },
    event(this: PinoLogger, type: string, fields?: Record<string, unknown>, msg?: string) {
      let level = eventLevels.get(type);
      if (level === undefined) {
        level = levelOfEvent(type);
        if (!isKnownEventType(type)) {
          if (warnedEvents.size < MAX_UNKNOWN_EVENTS_WARNED && !warnedEvents.has(type)) {
            warnedEvents.add(type);
            this.warning(
              { event_type: type },
              `unknown event type "${type}": add it to CustomEventTypes and call registerEventTypes()`,
            );
          }
        } else {
          eventLevels.set(type, level);
        }
      }
      // An event below the logger's level costs no copy of its fields (the recorder's completed calls are debug).
      if (!this.isLevelEnabled(level)) return;
      // Object.assign then a new key: spreading here costs about 0.6 µs a line on Node 20.
      const line: Record<string, unknown> = fields === undefined ? {} : Object.assign({}, fields);
      line.event = type;
      this[level](line, msg ?? type);
    },
  });
}

const chindingsSym = pino.symbols.chindingsSym as unknown as symbol;
const MODULE_BINDING = /,"module":"(?:[^"\\]|\\.)*"/;

// A module child of a module child: keep only the innermost `module` in the prebuilt bindings.
function dropEarlierModule(instance: PinoLogger): void {
  const holder = instance as unknown as Record<symbol, string>;
  holder[chindingsSym] = (holder[chindingsSym] ?? '').replace(MODULE_BINDING, '');
}

function serializers(redactor: Redactor | undefined): Record<string, pino.SerializerFn> {
  const wrap =
    (serialize: pino.SerializerFn): pino.SerializerFn =>
    (value) =>
      redactor ? redactor.redact({ ...serialize(value) }) : serialize(value);
  return {
    err: wrap(pino.stdSerializers.err),
    req: wrap(pino.stdSerializers.req),
    res: wrap(pino.stdSerializers.res),
  };
}

/** ISO-8601 time, formatted once per millisecond rather than once per line. */
function isoTime(now: () => number): () => string {
  let lastMs = Number.NaN;
  let last = '';
  return () => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      last = `,"time":"${new Date(ms).toISOString()}"`;
    }
    return last;
  };
}

/** Human-readable lines through pino-pretty, to `destination` or stdout. */
function prettyStream(destination: pino.DestinationStream | undefined): pino.DestinationStream {
  const require = createRequire(import.meta.url);
  let pretty: (options: object) => pino.DestinationStream;
  try {
    pretty = require('pino-pretty');
  } catch (cause) {
    throw new VigilError(
      'VIGIL_MISSING_PEER',
      'VIGIL_LOG_FORMAT=pretty needs the pino-pretty package: npm install pino-pretty',
      { cause },
    );
  }
  return pretty({
    colorize: destination === undefined && process.stdout.isTTY === true,
    destination: destination === undefined ? 1 : asWritable(destination),
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    customLevels: Object.entries(LEVELS)
      .map(([name, value]) => `${name}:${value}`)
      .join(','),
    useOnlyCustomProps: true,
    singleLine: true,
    ignore: 'service',
  });
}

/** pino-pretty pipes into a real stream; wrap a bare `{ write() }` destination in one. */
function asWritable(destination: pino.DestinationStream): Writable {
  if (destination instanceof Writable) return destination;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      destination.write(chunk.toString());
      callback();
    },
  });
}
