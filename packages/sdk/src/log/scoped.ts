import pino from 'pino';
import { currentScope, ROOT_SCOPE, type Scope } from '../context/context.js';
import type { Redactor } from './redact.js';

/** Keys a child logger bound itself; the context does not write them again. */
export const BOUND_CONTEXT_KEYS = Symbol('vigil.boundContextKeys');
const SCOPED_FIELDS = Symbol('vigil.scopedFields');
const chindingsSym = pino.symbols.chindingsSym as unknown as symbol;
/** Loggers remembered per request scope; a request rarely logs through more. */
const PER_SCOPE = 8;

type Holder = Record<symbol, unknown> & { [BOUND_CONTEXT_KEYS]?: readonly string[] };

const outsideAnyScope = new WeakMap<object, Holder>();

/** pino's `hooks.logMethod` type. */
type LogMethodHook = NonNullable<NonNullable<pino.LoggerOptions['hooks']>['logMethod']>;

/**
 * The `logMethod` hook: redacts the arguments, then writes through `logger` with the current
 * context serialized into its bindings once per scope — as pino's `child()` does — instead of
 * merging the context into every line. A field logged explicitly that the context also has
 * takes the slow path: one merged object on the plain logger, so no key is written twice.
 */
export function contextLogMethod(redactor: Redactor | undefined): LogMethodHook {
  return function logMethod(this: unknown, args: unknown[], method: pino.LogFn) {
    const logger = this as Holder;
    if (redactor !== undefined) redactArguments(redactor, args);
    const scoped = scopedLogger(logger, currentScope(), redactor);
    const first = args[0];
    if (first !== null && typeof first === 'object' && !(first instanceof Error)) {
      const fields = scoped[SCOPED_FIELDS] as Record<string, unknown>;
      for (const key in first) {
        if (key in fields) {
          args[0] = Object.assign({}, fields, first);
          return method.apply(logger as never, args as Parameters<pino.LogFn>);
        }
      }
    }
    return method.apply(scoped as never, args as Parameters<pino.LogFn>);
  } as LogMethodHook;
}

function redactArguments(redactor: Redactor, args: unknown[]): void {
  // pino takes the message of `log.error(err)` from err.message after this hook: hide it here.
  if (args[0] instanceof Error && typeof args[1] !== 'string') args.splice(1, 0, args[0].message);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === 'string') args[i] = redactor.redactString(arg);
    else if (i === 0 && arg !== null && typeof arg === 'object' && !(arg instanceof Error)) {
      args[0] = redactor.redact(arg);
    }
  }
}

/** `logger` with the scope's context in its prebuilt bindings, made once per scope and logger. */
function scopedLogger(logger: Holder, scope: Scope, redactor: Redactor | undefined): Holder {
  if (scope === ROOT_SCOPE) {
    // Outside any request the context never changes: one bound logger per logger, for good.
    let scoped = outsideAnyScope.get(logger);
    if (scoped === undefined) {
      scoped = bind(logger, scope, redactor);
      outsideAnyScope.set(logger, scoped);
    }
    return scoped;
  }
  const cache = scope.logCache;
  if (cache !== undefined) {
    for (let i = 0; i < cache.length; i += 2) if (cache[i] === logger) return cache[i + 1] as Holder;
  }
  const scoped = bind(logger, scope, redactor);
  if (cache === undefined) scope.logCache = [logger, scoped];
  else if (cache.length < PER_SCOPE * 2) cache.push(logger, scoped);
  return scoped;
}

function bind(logger: Holder, scope: Scope, redactor: Redactor | undefined): Holder {
  const all = scope.logFields();
  const safe = redactor === undefined ? all : redactor.redact(all);
  const bound = logger[BOUND_CONTEXT_KEYS];
  const fields: Record<string, unknown> = Object.create(null);
  let json = logger[chindingsSym] as string;
  for (const key in safe) {
    if (bound?.includes(key)) continue;
    fields[key] = safe[key];
    json += `,${JSON.stringify(key)}:${JSON.stringify(safe[key])}`;
  }
  const scoped = Object.create(logger) as Holder;
  scoped[chindingsSym] = json;
  scoped[SCOPED_FIELDS] = fields;
  return scoped;
}
