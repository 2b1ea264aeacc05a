import type { ModelPrice } from './types.js';

const OPENAI = 'https://openai.com/api/pricing (standard tier)';
const ANTHROPIC = 'https://platform.claude.com/docs/en/about-claude/pricing';
const GEMINI = 'https://ai.google.dev/gemini-api/docs/pricing (paid tier, text input)';
const MISTRAL = 'https://mistral.ai/pricing';

/** Anthropic's long-context price: every token of a call whose prompt exceeds 200k tokens costs more. */
const SONNET_LONG_CONTEXT = [
  {
    aboveInputTokens: 200_000,
    prices: { input: 6, cache_creation_input: 7.5, cache_creation_input_1h: 12, cache_read_input: 0.6, output: 22.5 },
  },
] as const;

/**
 * The price list Vigil ships: list prices in USD per 1M tokens, per model and date. Batch,
 * flex and priority tiers, regional endpoints and audio/image input are not covered; add
 * entries of your own (they take precedence) for negotiated or newer prices.
 * Bedrock and Vertex ids of Anthropic models match the Anthropic entries (their on-demand
 * list prices are Anthropic's own).
 */
export const SHIPPED_PRICES: readonly ModelPrice[] = Object.freeze([
  // OpenAI. Cached input is `cache_read_input`; reasoning tokens are billed as output.
  {
    model: 'gpt-4o',
    provider: 'openai',
    from: '2024-05-13',
    prices: { input: 5, output: 15 },
    source: OPENAI,
    asOf: '2024-09-30',
  },
  {
    model: 'gpt-4o',
    provider: 'openai',
    from: '2024-10-02', // the alias moved to gpt-4o-2024-08-06
    prices: { input: 2.5, cache_read_input: 1.25, output: 10 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'gpt-4o-2024-05-13',
    provider: 'openai',
    from: '2024-05-13',
    prices: { input: 5, output: 15 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'gpt-4o-2024-08-06',
    provider: 'openai',
    from: '2024-08-06',
    prices: { input: 2.5, cache_read_input: 1.25, output: 10 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'gpt-4o-mini',
    provider: 'openai',
    from: '2024-07-18',
    prices: { input: 0.15, cache_read_input: 0.075, output: 0.6 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'gpt-4.1',
    provider: 'openai',
    from: '2025-04-14',
    prices: { input: 2, cache_read_input: 0.5, output: 8 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'gpt-4.1-mini',
    provider: 'openai',
    from: '2025-04-14',
    prices: { input: 0.4, cache_read_input: 0.1, output: 1.6 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'gpt-4.1-nano',
    provider: 'openai',
    from: '2025-04-14',
    prices: { input: 0.1, cache_read_input: 0.025, output: 0.4 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'o1',
    provider: 'openai',
    from: '2024-12-17',
    prices: { input: 15, cache_read_input: 7.5, output: 60 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'o3-mini',
    provider: 'openai',
    from: '2025-01-31',
    prices: { input: 1.1, cache_read_input: 0.55, output: 4.4 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'o3',
    provider: 'openai',
    from: '2025-04-16',
    prices: { input: 10, cache_read_input: 2.5, output: 40 },
    source: OPENAI,
    asOf: '2025-06-09',
  },
  {
    model: 'o3',
    provider: 'openai',
    from: '2025-06-10', // OpenAI cut o3's price by 80%
    prices: { input: 2, cache_read_input: 0.5, output: 8 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'o4-mini',
    provider: 'openai',
    from: '2025-04-16',
    prices: { input: 1.1, cache_read_input: 0.275, output: 4.4 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'gpt-5',
    provider: 'openai',
    match: 'gpt-5(-chat-latest)?',
    from: '2025-08-07',
    prices: { input: 1.25, cache_read_input: 0.125, output: 10 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'gpt-5-mini',
    provider: 'openai',
    from: '2025-08-07',
    prices: { input: 0.25, cache_read_input: 0.025, output: 2 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'gpt-5-nano',
    provider: 'openai',
    from: '2025-08-07',
    prices: { input: 0.05, cache_read_input: 0.005, output: 0.4 },
    source: OPENAI,
    asOf: '2025-11-01',
  },
  {
    model: 'gpt-5.1',
    provider: 'openai',
    match: 'gpt-5\\.1(-chat-latest)?',
    from: '2025-11-13',
    prices: { input: 1.25, cache_read_input: 0.125, output: 10 },
    source: OPENAI,
    asOf: '2025-11-20',
  },
  {
    model: 'gpt-5.2',
    provider: 'openai',
    match: 'gpt-5\\.2(-chat-latest)?',
    from: '2025-12-11',
    prices: { input: 1.75, cache_read_input: 0.175, output: 14 },
    source: OPENAI,
    asOf: '2026-11-23',
  },

  // Anthropic. Cache writes cost 1.25x input for 5 minutes, 2x for 1 hour; reads 0.1x.
  {
    model: 'claude-3-haiku',
    provider: 'anthropic',
    from: '2024-03-07',
    prices: {
      input: 0.25,
      cache_creation_input: 0.3,
      cache_creation_input_1h: 0.5,
      cache_read_input: 0.03,
      output: 1.25,
    },
    source: ANTHROPIC,
    asOf: '2025-11-01',
  },
  {
    model: 'claude-3-5-haiku',
    provider: 'anthropic',
    match: 'claude-3-5-haiku(-latest)?',
    from: '2024-11-04',
    prices: { input: 0.8, cache_creation_input: 1, cache_creation_input_1h: 1.6, cache_read_input: 0.08, output: 4 },
    source: ANTHROPIC,
    asOf: '2025-11-01',
  },
  {
    model: 'claude-3-7-sonnet',
    provider: 'anthropic',
    match: 'claude-3-7-sonnet(-latest)?',
    from: '2025-02-24',
    prices: { input: 3, cache_creation_input: 3.75, cache_creation_input_1h: 6, cache_read_input: 0.3, output: 15 },
    source: ANTHROPIC,
    asOf: '2025-11-01',
  },
  {
    model: 'claude-sonnet-4',
    provider: 'anthropic',
    match: 'claude-sonnet-4(-0)?',
    from: '2025-05-22',
    prices: { input: 3, cache_creation_input: 3.75, cache_creation_input_1h: 6, cache_read_input: 0.3, output: 15 },
    tiers: SONNET_LONG_CONTEXT,
    source: ANTHROPIC,
    asOf: '2025-11-01',
  },
  {
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    from: '2025-09-29',
    prices: { input: 3, cache_creation_input: 3.75, cache_creation_input_1h: 6, cache_read_input: 0.3, output: 15 },
    tiers: SONNET_LONG_CONTEXT,
    source: ANTHROPIC,
    asOf: '2025-11-01',
  },
  {
    model: 'claude-opus-4',
    provider: 'anthropic',
    match: 'claude-opus-4(-0)?',
    from: '2025-05-22',
    prices: { input: 15, cache_creation_input: 18.75, cache_creation_input_1h: 30, cache_read_input: 1.5, output: 75 },
    source: ANTHROPIC,
    asOf: '2025-11-01',
  },
  {
    model: 'claude-opus-4-1',
    provider: 'anthropic',
    from: '2025-08-05',
    prices: { input: 15, cache_creation_input: 18.75, cache_creation_input_1h: 30, cache_read_input: 1.5, output: 75 },
    source: ANTHROPIC,
    asOf: '2025-11-01',
  },
  {
    model: 'claude-haiku-4-5',
    provider: 'anthropic',
    from: '2025-10-15',
    prices: { input: 1, cache_creation_input: 1.25, cache_creation_input_1h: 2, cache_read_input: 0.1, output: 5 },
    source: ANTHROPIC,
    asOf: '2025-11-01',
  },
  {
    model: 'claude-opus-4-5',
    provider: 'anthropic',
    from: '2025-11-24',
    prices: { input: 5, cache_creation_input: 6.25, cache_creation_input_1h: 10, cache_read_input: 0.5, output: 25 },
    source: ANTHROPIC,
    asOf: '2026-11-23',
  },
  {
    model: 'claude-sonnet-5',
    provider: 'anthropic',
    from: '2026-06-30',
    prices: { input: 2, cache_creation_input: 2.5, cache_creation_input_1h: 4, cache_read_input: 0.2, output: 10 },
    source: 'https://platform.claude.com/docs/en/models/sonnet-5/overview',
    asOf: '2026-11-23',
  },

  // Google Gemini. Thinking tokens are billed as output; prompts above 200k tokens cost more on Pro.
  {
    model: 'gemini-2.0-flash',
    provider: 'gcp.gemini',
    from: '2025-02-05',
    prices: { input: 0.1, cache_read_input: 0.025, output: 0.4 },
    source: GEMINI,
    asOf: '2025-11-01',
  },
  {
    model: 'gemini-2.5-pro',
    provider: 'gcp.gemini',
    from: '2025-06-17',
    prices: { input: 1.25, cache_read_input: 0.125, output: 10 },
    tiers: [{ aboveInputTokens: 200_000, prices: { input: 2.5, cache_read_input: 0.25, output: 15 } }],
    source: GEMINI,
    asOf: '2025-11-01',
  },
  {
    model: 'gemini-2.5-flash',
    provider: 'gcp.gemini',
    from: '2025-06-17',
    prices: { input: 0.3, cache_read_input: 0.03, output: 2.5 },
    source: GEMINI,
    asOf: '2025-11-01',
  },
  {
    model: 'gemini-2.5-flash-lite',
    provider: 'gcp.gemini',
    from: '2025-07-22',
    prices: { input: 0.1, cache_read_input: 0.01, output: 0.4 },
    source: GEMINI,
    asOf: '2025-11-01',
  },
  {
    model: 'gemini-3-pro-preview',
    provider: 'gcp.gemini',
    from: '2025-11-18',
    prices: { input: 2, cache_read_input: 0.2, output: 12 },
    tiers: [{ aboveInputTokens: 200_000, prices: { input: 4, cache_read_input: 0.4, output: 18 } }],
    source: GEMINI,
    asOf: '2025-11-20',
  },

  // Mistral: dated ids only, because the `-latest` aliases move to models at other prices.
  {
    model: 'mistral-large-2411',
    provider: 'mistral_ai',
    from: '2024-11-18',
    prices: { input: 2, output: 6 },
    source: MISTRAL,
    asOf: '2025-11-01',
  },
  {
    model: 'mistral-medium-2505',
    provider: 'mistral_ai',
    from: '2025-05-07',
    prices: { input: 0.4, output: 2 },
    source: MISTRAL,
    asOf: '2025-11-01',
  },
]);
