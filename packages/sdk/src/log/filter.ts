import { VigilError } from '../errors.js';
import { type FilterLevel, parseLevel } from './levels.js';

/** A parsed `VIGIL_LOG` filter: a default level and per-module levels. */
export interface LogFilter {
  readonly defaultLevel: FilterLevel;
  readonly modules: ReadonlyMap<string, FilterLevel>;
  /** The level for a module: the longest matching module prefix (`scrape` covers `scrape.http`). */
  levelFor(module: string): FilterLevel;
}

const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*(?:[.:/][A-Za-z0-9_-]+)*$/;
const LEVEL_CHOICES = 'debug, info, warning (warn), error, critical, off';

/**
 * Parses an env-filter such as `info,scrape=debug,llm=warn`. A bare level sets the default,
 * `module=level` sets a module. Throws VIGIL_BAD_LOG_FILTER naming the bad directive and its
 * position, so a typo fails at startup instead of silently logging at the wrong level.
 */
export function parseLogFilter(text: string | undefined, fallback: FilterLevel = 'info'): LogFilter {
  let defaultLevel = fallback;
  const modules = new Map<string, FilterLevel>();
  const source = text ?? '';
  let offset = 0;
  for (const raw of source.split(',')) {
    const start = offset;
    offset += raw.length + 1;
    const directive = raw.trim();
    if (directive === '') continue;
    const bad = (why: string) =>
      new VigilError(
        'VIGIL_BAD_LOG_FILTER',
        `VIGIL_LOG: bad directive "${directive}" at position ${start + 1}: ${why}`,
      );
    const eq = directive.indexOf('=');
    if (eq === -1) {
      const level = parseLevel(directive);
      if (level === undefined) throw bad(`unknown level (expected one of ${LEVEL_CHOICES})`);
      defaultLevel = level;
      continue;
    }
    const name = directive.slice(0, eq).trim();
    const levelText = directive.slice(eq + 1).trim();
    if (name === '') throw bad('module name is empty (write module=level)');
    if (!MODULE_NAME.test(name)) throw bad(`"${name}" is not a module name (letters, digits, _ - and . separators)`);
    if (levelText.includes('=')) throw bad('more than one "=" (write module=level)');
    const level = parseLevel(levelText);
    if (level === undefined) {
      throw bad(`unknown level "${levelText}" for module "${name}" (expected one of ${LEVEL_CHOICES})`);
    }
    modules.set(name, level);
  }
  return makeFilter(defaultLevel, modules);
}

function makeFilter(defaultLevel: FilterLevel, modules: Map<string, FilterLevel>): LogFilter {
  return {
    defaultLevel,
    modules,
    levelFor(module) {
      let name = module;
      for (;;) {
        const level = modules.get(name);
        if (level !== undefined) return level;
        const cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf(':'), name.lastIndexOf('/'));
        if (cut <= 0) return defaultLevel;
        name = name.slice(0, cut);
      }
    },
  };
}
