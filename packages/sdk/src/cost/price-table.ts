import { VigilError } from '../errors.js';
import { SHIPPED_PRICES } from './prices.js';
import type { ModelPrice, PriceTier, UsagePrices, UsageType } from './types.js';

const USAGE_TYPES: readonly UsageType[] = [
  'input',
  'cache_read_input',
  'cache_creation_input',
  'cache_creation_input_1h',
  'output',
  'reasoning',
];
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2})$/;
const MAX_CACHED_IDS = 1024;

/** The entry that prices a call, and where it came from. */
export interface ResolvedPrice {
  /** The entry as given. */
  entry: ModelPrice;
  /** `user` for an entry of your own, `shipped` for Vigil's list. */
  origin: 'user' | 'shipped';
  /** `from` in epoch milliseconds (UTC midnight). */
  fromMs: number;
}

interface Compiled extends ResolvedPrice {
  pattern: RegExp;
}

/**
 * Turns a model id as callers spell it into the form the price list matches: lower case, no
 * routing prefix (`openai/gpt-4o`, `models/gemini-2.5-pro`), no Bedrock region, vendor or
 * version parts (`us.anthropic.claude-sonnet-4-20250514-v1:0`), Vertex's `@date` as `-date`.
 */
export function normalizeModelId(model: string): string {
  let id = model.trim().toLowerCase();
  id = id.slice(id.lastIndexOf('/') + 1);
  id = id.replace(/^(?:us-gov|us|eu|apac|jp|au|ca|global)\./, '');
  const vendor = /^(?:anthropic|meta|mistral|amazon|cohere|ai21|deepseek|openai)\./.exec(id);
  // Bedrock ids end in a version (`-v1:0`); other ids may end in `-v2` that means something.
  if (vendor) id = id.slice(vendor[0].length).replace(/-v\d+(?::\d+)?$/, '');
  return id.replace(/@(\d{8})$/, '-$1');
}

/**
 * The list of model prices, the user's entries first: an entry of yours wins over every
 * shipped one for an id it matches. Among one origin's entries, an exact match wins over a
 * match after dropping a date suffix (`-20250514`, `-2024-08-06`), and the entry in force at
 * the call's time (latest `from` not after it) is used.
 */
export class PriceTable {
  readonly #layers: readonly (readonly Compiled[])[];
  readonly #byId = new Map<string, Compiled[][]>();

  /** `prices`: entries of yours (validated, throwing VIGIL_BAD_OPTION naming the field); `shipped`: the base list. */
  constructor(prices: readonly ModelPrice[] = [], shipped: readonly ModelPrice[] = SHIPPED_PRICES) {
    const user = prices.map((entry, i) => compile(entry, 'user', `prices[${i}]`));
    const base = shipped.map((entry, i) => compile(entry, 'shipped', `shipped prices[${i}]`));
    this.#layers = [user, base];
  }

  /** The price in force for `model` at `at`, or undefined when no entry knows the model (or none was in force yet). */
  find(model: string, at: Date | number): ResolvedPrice | undefined {
    const time = typeof at === 'number' ? at : at.getTime();
    for (const candidates of this.#candidates(model)) {
      let best: Compiled | undefined;
      for (const entry of candidates) {
        if (entry.fromMs <= time && (best === undefined || entry.fromMs > best.fromMs)) best = entry;
      }
      if (best !== undefined) return best;
    }
    return undefined;
  }

  /** The entries that match `model`, per origin, most specific group first; cached per id. */
  #candidates(model: string): Compiled[][] {
    let groups = this.#byId.get(model);
    if (groups !== undefined) return groups;
    const id = normalizeModelId(model);
    const undated = id.replace(DATE_SUFFIX, '');
    groups = [];
    for (const layer of this.#layers) {
      const exact = layer.filter((entry) => entry.pattern.test(id));
      if (exact.length > 0) groups.push(exact);
      if (undated !== id) {
        const loose = layer.filter((entry) => entry.pattern.test(undated));
        if (loose.length > 0) groups.push(loose);
      }
    }
    if (this.#byId.size >= MAX_CACHED_IDS) this.#byId.clear();
    this.#byId.set(model, groups);
    return groups;
  }
}

/** The prices that apply to a call of `inputTokens` prompt tokens: the base ones, or the highest tier exceeded. */
export function pricesFor(entry: ModelPrice, inputTokens: number): UsagePrices {
  let tier: PriceTier | undefined;
  for (const candidate of entry.tiers ?? []) {
    if (inputTokens > candidate.aboveInputTokens && (!tier || candidate.aboveInputTokens > tier.aboveInputTokens)) {
      tier = candidate;
    }
  }
  return tier === undefined ? entry.prices : { ...entry.prices, ...tier.prices };
}

function compile(entry: ModelPrice, origin: 'user' | 'shipped', where: string): Compiled {
  const bad = (field: string, wanted: string, got: unknown): VigilError =>
    new VigilError(
      'VIGIL_BAD_OPTION',
      `${where}.${field} must be ${wanted}, got ${JSON.stringify(got) ?? String(got)}`,
    );
  if (entry === null || typeof entry !== 'object') throw bad('', 'an object', entry);
  if (typeof entry.model !== 'string' || entry.model.trim() === '')
    throw bad('model', 'a non-empty string', entry.model);
  if (typeof entry.provider !== 'string' || entry.provider === '') {
    throw bad('provider', 'a non-empty string', entry.provider);
  }
  const fromMs = parseDay(entry.from);
  if (fromMs === undefined) throw bad('from', 'a date as YYYY-MM-DD', entry.from);
  checkPrices(entry.prices, 'prices', bad, true);
  if (entry.tiers !== undefined) {
    if (!Array.isArray(entry.tiers)) throw bad('tiers', 'an array', entry.tiers);
    entry.tiers.forEach((tier: PriceTier, i: number) => {
      if (!(Number.isInteger(tier?.aboveInputTokens) && tier.aboveInputTokens > 0)) {
        throw bad(`tiers[${i}].aboveInputTokens`, 'a positive integer', tier?.aboveInputTokens);
      }
      checkPrices(tier.prices, `tiers[${i}].prices`, bad, false);
    });
  }
  let pattern: RegExp;
  const source = entry.match ?? normalizeModelId(entry.model).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    pattern = new RegExp(`^(?:${source})$`, 'i');
  } catch {
    throw bad('match', 'a valid regular expression', entry.match);
  }
  return { entry, origin, fromMs, pattern };
}

function checkPrices(
  prices: unknown,
  field: string,
  bad: (field: string, wanted: string, got: unknown) => VigilError,
  base: boolean,
): void {
  if (prices === null || typeof prices !== 'object') throw bad(field, 'an object of USD per 1M tokens', prices);
  const record = prices as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(USAGE_TYPES as readonly string[]).includes(key)) {
      throw bad(`${field}.${key}`, `one of the usage types ${USAGE_TYPES.join(', ')}`, key);
    }
    const value = record[key];
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw bad(`${field}.${key}`, 'a finite number >= 0 (USD per 1M tokens)', value);
    }
  }
  if (base) {
    for (const key of ['input', 'output']) {
      if (record[key] === undefined)
        throw bad(`${field}.${key}`, 'a finite number >= 0 (USD per 1M tokens)', undefined);
    }
  }
}

/** `YYYY-MM-DD` as UTC midnight in epoch ms, or undefined when it is not a real date. */
export function parseDay(day: unknown): number | undefined {
  if (typeof day !== 'string') return undefined;
  const m = DAY.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? ms : undefined;
}
