import { getLogger, type Logger } from '../log/logger.js';
import { costBreakdown } from './compute.js';
import { PriceTable } from './price-table.js';
import { SHIPPED_PRICES } from './prices.js';
import type { ModelPrice, TokenUsage } from './types.js';
import { filledUsage, normalizeUsage } from './usage.js';

/** Options of `createCostMeter`. */
export interface CostMeterOptions {
  /** Price entries of yours; for an id they match they win over the shipped ones. Validated here (VIGIL_BAD_OPTION). */
  prices?: readonly ModelPrice[];
  /** `false` drops Vigil's shipped list, leaving only `prices`. */
  shippedPrices?: boolean;
  /** Where the one-per-model warnings go (default: the SDK's default logger, resolved when first needed). */
  logger?: Logger;
  /** Clock in epoch ms, for calls that give no `at`. */
  now?: () => number;
}

/** One call to price. */
export interface PricedCall {
  /** The model id as the provider or router spells it. */
  model: string;
  /** The provider (`openai`, `anthropic`, `gcp.gemini`, ...); needed to read `rawUsage`. */
  provider?: string;
  /** Usage already in Vigil's convention (see `TokenUsage`). */
  usage?: Partial<TokenUsage>;
  /** The provider's own usage object, read with `normalizeUsage(provider, rawUsage)`. */
  rawUsage?: unknown;
  /** When the call was made (default now): the price in force then is used. */
  at?: Date | number;
  /** A cost you know (e.g. from the provider's bill or a router's response); it wins over the computed one. */
  costUsd?: number | null;
}

/** What `CostMeter.price` found. */
export interface CallCost {
  /** USD, or null when no price is known (never a guess). */
  costUsd: number | null;
  /** `caller`: given; `computed`: from the price list; `unknown_model`: no price; `unreadable_usage`: usage could not be read. */
  source: 'caller' | 'computed' | 'unknown_model' | 'unreadable_usage';
  /** The usage in Vigil's convention, when it could be read. */
  usage: TokenUsage | null;
}

const MAX_WARNED = 256;

/**
 * Prices LLM calls at record time and never throws into the agent: an unknown model gives
 * cost null and one warning per model; an unreadable usage gives null and one warning per
 * provider.
 */
export class CostMeter {
  /** The price table in use (yours first, then the shipped list). */
  readonly table: PriceTable;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  #log: Logger | undefined;
  readonly #warned = new Set<string>();

  constructor(options: CostMeterOptions = {}) {
    this.table = new PriceTable(options.prices ?? [], options.shippedPrices === false ? [] : SHIPPED_PRICES);
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
  }

  /** Prices one call; see `CallCost`. */
  price(call: PricedCall): CallCost {
    try {
      return this.#price(call);
    } catch (error) {
      this.#warn(
        `error:${String(call?.model)}`,
        { model: call?.model },
        `cost of a call not computed: ${String(error)}`,
      );
      return { costUsd: validCost(call?.costUsd) ?? null, source: 'unreadable_usage', usage: null };
    }
  }

  #price(call: PricedCall): CallCost {
    let usage: TokenUsage | null = null;
    if (call.usage !== undefined && call.usage !== null) {
      try {
        usage = filledUsage(call.usage);
      } catch (error) {
        this.#warn(
          `usage:given:${String(call.model)}`,
          { model: call.model },
          `${error instanceof Error ? error.message : String(error)}; its calls get no cost`,
        );
      }
    } else if (call.rawUsage !== undefined) {
      try {
        usage = normalizeUsage(call.provider ?? '', call.rawUsage);
      } catch (error) {
        const provider = String(call.provider ?? '');
        this.#warn(
          `usage:${provider}`,
          { provider },
          `${error instanceof Error ? error.message : String(error)}; its calls get no cost`,
        );
      }
    }
    const given = validCost(call.costUsd);
    if (given !== undefined) return { costUsd: given, source: 'caller', usage };
    if (usage === null) return { costUsd: null, source: 'unreadable_usage', usage };
    const at = call.at ?? this.#now();
    const found = costBreakdown(call.model, usage, at, this.table);
    if (found === null) {
      const model = String(call.model);
      this.#warn(
        `model:${model}`,
        { model, provider: call.provider },
        `no price known for model "${model}": its calls get cost null; add it to the cost "prices" option`,
      );
      return { costUsd: null, source: 'unknown_model', usage };
    }
    return { costUsd: found.costUsd, source: 'computed', usage };
  }

  #warn(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.#warned.has(key) || this.#warned.size >= MAX_WARNED) return;
    this.#warned.add(key);
    this.#log ??= (this.#logger ?? getLogger()).module('cost');
    this.#log.warning(fields, message);
  }
}

/** Creates a `CostMeter`; bad price entries throw VIGIL_BAD_OPTION naming the field. */
export function createCostMeter(options?: CostMeterOptions): CostMeter {
  return new CostMeter(options);
}

function validCost(cost: unknown): number | undefined {
  return typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? cost : undefined;
}
