import { PriceTable, pricesFor } from './price-table.js';
import type { ModelPrice, TokenUsage } from './types.js';

/** Prices are scaled to integers (millionths of a dollar per 1M tokens) so that one division rounds the sum once. */
const SCALE = 1e6;
const PER_TOKEN = SCALE * 1e6;

let shippedTable: PriceTable | undefined;

/** The table of Vigil's shipped prices alone (built on first use). */
export function shippedPriceTable(): PriceTable {
  shippedTable ??= new PriceTable();
  return shippedTable;
}

/** A call's cost in USD and the entry that priced it. */
export interface CostBreakdown {
  /** The cost in USD. */
  costUsd: number;
  /** The entry used (with `origin` user or shipped). */
  model: string;
  /** The `from` of the entry used. */
  priceFrom: string;
  /** True when a long-context tier applied. */
  tiered: boolean;
  /** Where the entry was read. */
  source?: string;
}

/**
 * The cost in USD of one call of `model` at `at`, or null when no price is known for the
 * model at that time (never a guess). `usage` follows Vigil's convention (see `TokenUsage`):
 * cache reads are billed at the cache price and only the rest of the input at the input
 * price, so cached tokens are never counted twice; reasoning tokens likewise within output.
 */
export function computeCost(
  model: string,
  usage: Partial<TokenUsage>,
  at: Date | number,
  table: PriceTable = shippedPriceTable(),
): number | null {
  return costBreakdown(model, usage, at, table)?.costUsd ?? null;
}

/** Like `computeCost`, with the entry and tier that priced the call. */
export function costBreakdown(
  model: string,
  usage: Partial<TokenUsage>,
  at: Date | number,
  table: PriceTable = shippedPriceTable(),
): CostBreakdown | null {
  const found = table.find(model, at);
  if (found === undefined) return null;
  const { costUsd, tiered } = priceUsage(found.entry, usage);
  return {
    costUsd,
    model: found.entry.model,
    priceFrom: found.entry.from,
    tiered,
    ...(found.entry.source === undefined ? {} : { source: found.entry.source }),
  };
}

/** Applies one entry's prices (and tier) to a usage. */
export function priceUsage(entry: ModelPrice, usage: Partial<TokenUsage>): { costUsd: number; tiered: boolean } {
  const input = count(usage.inputTokens);
  const cacheRead = count(usage.cacheReadInputTokens);
  const cacheWrite = count(usage.cacheCreationInputTokens);
  const cacheWrite1h = Math.min(count(usage.cacheCreation1hInputTokens), cacheWrite);
  const output = count(usage.outputTokens);
  const reasoning = Math.min(count(usage.reasoningTokens), output);
  const prices = pricesFor(entry, input);
  const scaled = (price: number | undefined, fallback: number): number => Math.round((price ?? fallback) * SCALE);
  const inputPrice = scaled(prices.input, 0);
  const writePrice = scaled(prices.cache_creation_input, prices.input);
  const outputPrice = scaled(prices.output, 0);
  const total =
    Math.max(0, input - cacheRead - cacheWrite) * inputPrice +
    cacheRead * scaled(prices.cache_read_input, prices.input) +
    (cacheWrite - cacheWrite1h) * writePrice +
    cacheWrite1h * scaled(prices.cache_creation_input_1h, writePrice / SCALE) +
    (output - reasoning) * outputPrice +
    reasoning * scaled(prices.reasoning, prices.output);
  return { costUsd: total / PER_TOKEN, tiered: prices !== entry.prices };
}

function count(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
