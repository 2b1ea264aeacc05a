/**
 * The kinds of tokens a provider bills at different prices. `input` is the uncached part of
 * the prompt; `cache_creation_input` is a cache write (Anthropic's 5-minute one),
 * `cache_creation_input_1h` a 1-hour write (billed at `cache_creation_input` when an entry
 * gives no such price); `reasoning` is the part of the output spent thinking (billed at
 * `output` when an entry gives no `reasoning` price).
 */
export type UsageType =
  | 'input'
  | 'cache_read_input'
  | 'cache_creation_input'
  | 'cache_creation_input_1h'
  | 'output'
  | 'reasoning';

/** USD per 1M tokens by usage type; `input` and `output` are required, the others fall back to them. */
export type UsagePrices = { input: number; output: number } & Partial<Record<UsageType, number>>;

/** A higher price that applies to the whole call once its input (cached tokens included) exceeds `aboveInputTokens`. */
export interface PriceTier {
  /** The tier applies when `inputTokens > aboveInputTokens`. */
  aboveInputTokens: number;
  /** The prices of this tier; usage types left out keep the base price. */
  prices: Partial<Record<UsageType, number>>;
}

/** One dated price of one model: the price in force from `from` (UTC date) until a later entry of the same model. */
export interface ModelPrice {
  /** The canonical model id, e.g. `claude-sonnet-4`. */
  model: string;
  /** The provider, as `gen_ai.provider.name` spells it (`openai`, `anthropic`, `gcp.gemini`, ...). */
  provider: string;
  /**
   * A regular expression (source, anchored, case-insensitive) for the ids this entry prices,
   * tested against the normalized id; default: the model id itself.
   */
  match?: string;
  /** `YYYY-MM-DD`: the first UTC day this price is in force. */
  from: string;
  /** USD per 1M tokens. */
  prices: UsagePrices;
  /** Prices for long prompts, e.g. above 200k input tokens. */
  tiers?: readonly PriceTier[];
  /** Where the price was read (a URL or page name). */
  source?: string;
  /** `YYYY-MM-DD`: when it was last checked against the source. */
  asOf?: string;
}

/**
 * Token counts of one call, in Vigil's convention (the OpenTelemetry GenAI one):
 * `inputTokens` counts the whole prompt, INCLUDING cache reads and cache writes, which are
 * its subsets; `outputTokens` counts the whole output, INCLUDING `reasoningTokens`, its subset.
 */
export interface TokenUsage {
  /** Every prompt token: uncached + cache reads + cache writes. */
  inputTokens: number;
  /** Prompt tokens read from the provider's cache (a subset of `inputTokens`). */
  cacheReadInputTokens: number;
  /** Prompt tokens written to the provider's cache (a subset of `inputTokens`). */
  cacheCreationInputTokens: number;
  /** The part of `cacheCreationInputTokens` written for 1 hour (Anthropic's `ephemeral_1h_input_tokens`), priced apart. */
  cacheCreation1hInputTokens: number;
  /** Every output token, reasoning included. */
  outputTokens: number;
  /** Output tokens spent reasoning (a subset of `outputTokens`); 0 when the provider does not say. */
  reasoningTokens: number;
}
