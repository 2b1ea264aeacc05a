import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  computeCost,
  costBreakdown,
  createCostMeter,
  normalizeModelId,
  normalizeUsage,
  PriceTable,
  SHIPPED_PRICES,
} from '../src/cost/index.js';
import { VigilError } from '../src/errors.js';
import { captureLogger } from './support/capture.js';

const AUG_2025 = new Date('2025-08-01T12:00:00Z');
const flat = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens });

describe('usage shapes are normalized to input INCLUDING cached tokens', () => {
  test('OpenAI chat: prompt_tokens already includes cached_tokens; reasoning is inside completion_tokens', () => {
    const usage = normalizeUsage('openai', {
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 64,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    });
    assert.deepEqual(usage, {
      inputTokens: 2006,
      cacheReadInputTokens: 1920,
      cacheCreationInputTokens: 0,
      cacheCreation1hInputTokens: 0,
      outputTokens: 300,
      reasoningTokens: 64,
    });
  });

  test('OpenAI Responses: input_tokens includes input_tokens_details.cached_tokens', () => {
    const usage = normalizeUsage('openai', {
      input_tokens: 1200,
      input_tokens_details: { cached_tokens: 1024 },
      output_tokens: 2500,
      output_tokens_details: { reasoning_tokens: 2048 },
      total_tokens: 3700,
    });
    assert.deepEqual(usage, {
      inputTokens: 1200,
      cacheReadInputTokens: 1024,
      cacheCreationInputTokens: 0,
      cacheCreation1hInputTokens: 0,
      outputTokens: 2500,
      reasoningTokens: 2048,
    });
  });

  test('Anthropic: cache reads and writes are added to input_tokens, which excludes them', () => {
    const usage = normalizeUsage('anthropic', {
      input_tokens: 2095,
      cache_creation_input_tokens: 2051,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 2051, ephemeral_1h_input_tokens: 0 },
      output_tokens: 503,
      service_tier: 'standard',
    });
    assert.deepEqual(usage, {
      inputTokens: 4146,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 2051,
      cacheCreation1hInputTokens: 0,
      outputTokens: 503,
      reasoningTokens: 0,
    });
  });

  test('Gemini: promptTokenCount includes the cache; thoughts are added to candidates', () => {
    const camel = normalizeUsage('gcp.gemini', {
      promptTokenCount: 12000,
      cachedContentTokenCount: 8000,
      candidatesTokenCount: 500,
      thoughtsTokenCount: 1500,
      totalTokenCount: 14000,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12000 }],
    });
    assert.deepEqual(camel, {
      inputTokens: 12000,
      cacheReadInputTokens: 8000,
      cacheCreationInputTokens: 0,
      cacheCreation1hInputTokens: 0,
      outputTokens: 2000,
      reasoningTokens: 1500,
    });
    const snake = normalizeUsage('gcp.vertex_ai', {
      prompt_token_count: 12000,
      cached_content_token_count: 8000,
      candidates_token_count: 500,
      thoughts_token_count: 1500,
      total_token_count: 14000,
    });
    assert.deepEqual(snake, camel);
  });

  test('Bedrock Converse and Claude on Vertex AI read as their own shapes', () => {
    assert.deepEqual(
      normalizeUsage('aws.bedrock', { inputTokens: 10, outputTokens: 5, totalTokens: 75, cacheReadInputTokens: 60 }),
      {
        inputTokens: 70,
        cacheReadInputTokens: 60,
        cacheCreationInputTokens: 0,
        cacheCreation1hInputTokens: 0,
        outputTokens: 5,
        reasoningTokens: 0,
      },
    );
    assert.equal(
      normalizeUsage('gcp.vertex_ai', { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 }).inputTokens,
      15,
    );
  });

  test('an unreadable shape throws VIGIL_BAD_OPTION naming the field', () => {
    assert.throws(
      () => normalizeUsage('openai', { prompt_tokens: 'many', completion_tokens: 1 }),
      (e: unknown) =>
        e instanceof VigilError &&
        e.code === 'VIGIL_BAD_OPTION' &&
        /usage\.prompt_tokens must be a non-negative integer/.test(e.message),
    );
    assert.throws(() => normalizeUsage('anthropic', { output_tokens: 1 }), /usage\.input_tokens must be/);
    assert.throws(() => normalizeUsage('openai', null), /usage must be an object/);
    assert.throws(
      () => normalizeUsage('acme', { tokens: 3 }),
      /unknown provider and no known usage fields \(saw tokens\)/,
    );
    assert.throws(
      () =>
        normalizeUsage('openai', {
          prompt_tokens: 10,
          completion_tokens: 1,
          prompt_tokens_details: { cached_tokens: 20 },
        }),
      /cached_tokens \(20\) exceeds the input tokens \(10\)/,
    );
  });
});

describe('pinned costs', () => {
  test('OpenAI gpt-4o with cache reads: cached tokens at the cache price, the rest at the input price', () => {
    const usage = normalizeUsage('openai', {
      prompt_tokens: 2006,
      completion_tokens: 300,
      prompt_tokens_details: { cached_tokens: 1920 },
    });
    // (2006 - 1920) * $2.50 + 1920 * $1.25 + 300 * $10 = 215 + 2400 + 3000 = 5615 per 1M -> $0.005615
    assert.equal(computeCost('gpt-4o', usage, new Date('2025-03-01T00:00:00Z')), 0.005615);
  });

  test('OpenAI o3 reasoning tokens bill as output, before and after the June 2025 price cut', () => {
    const usage = normalizeUsage('openai', {
      input_tokens: 1200,
      input_tokens_details: { cached_tokens: 1024 },
      output_tokens: 2500,
      output_tokens_details: { reasoning_tokens: 2048 },
    });
    // after 2025-06-10: 176 * $2 + 1024 * $0.50 + 2500 * $8 = 352 + 512 + 20000 = 20864 -> $0.020864
    assert.equal(computeCost('o3-2025-04-16', usage, new Date('2025-07-01T00:00:00Z')), 0.020864);
    // before: 176 * $10 + 1024 * $2.50 + 2500 * $40 = 1760 + 2560 + 100000 = 104320 -> $0.10432
    assert.equal(computeCost('o3', usage, new Date('2025-06-09T23:59:59Z')), 0.10432);
  });

  test('Anthropic Sonnet 4: a cache write, then a cache read', () => {
    const write = normalizeUsage('anthropic', {
      input_tokens: 2095,
      cache_creation_input_tokens: 2051,
      cache_read_input_tokens: 0,
      output_tokens: 503,
    });
    // 2095 * $3 + 2051 * $3.75 + 503 * $15 = 6285 + 7691.25 + 7545 = 21521.25 -> $0.02152125
    assert.equal(computeCost('claude-sonnet-4-20250514', write, AUG_2025), 0.02152125);
    const read = normalizeUsage('anthropic', {
      input_tokens: 12,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 2051,
      output_tokens: 240,
    });
    // 12 * $3 + 2051 * $0.30 + 240 * $15 = 36 + 615.3 + 3600 = 4251.3 -> $0.0042513
    assert.equal(computeCost('claude-sonnet-4-20250514', read, AUG_2025), 0.0042513);
  });

  test('Anthropic 1-hour cache writes are priced apart from 5-minute ones', () => {
    const usage = normalizeUsage('anthropic', {
      input_tokens: 10,
      cache_creation_input_tokens: 3000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
      output_tokens: 100,
    });
    assert.equal(usage.cacheCreation1hInputTokens, 2000);
    // Haiku 4.5: 10 * $1 + 1000 * $1.25 + 2000 * $2 + 100 * $5 = 10 + 1250 + 4000 + 500 = 5760 -> $0.00576
    assert.equal(computeCost('claude-haiku-4-5-20251001', usage, new Date('2026-01-01T00:00:00Z')), 0.00576);
  });

  test('Sonnet 4 above 200k prompt tokens (cached ones included) bills every token at the long-context price', () => {
    const long = normalizeUsage('anthropic', {
      input_tokens: 150000,
      cache_read_input_tokens: 60000,
      output_tokens: 1000,
    });
    // 210000 > 200000: 150000 * $6 + 60000 * $0.60 + 1000 * $22.50 = 900000 + 36000 + 22500 = 958500 -> $0.9585
    assert.equal(computeCost('claude-sonnet-4-20250514', long, AUG_2025), 0.9585);
    assert.equal(costBreakdown('claude-sonnet-4-20250514', long, AUG_2025)?.tiered, true);
    // the same call through Bedrock's Converse API and a cross-region inference profile id
    const bedrock = normalizeUsage('aws.bedrock', {
      inputTokens: 150000,
      outputTokens: 1000,
      cacheReadInputTokens: 60000,
    });
    assert.equal(computeCost('us.anthropic.claude-sonnet-4-20250514-v1:0', bedrock, AUG_2025), 0.9585);
    // exactly 200000 is not above: 140000 * $3 + 60000 * $0.30 + 1000 * $15 = 420000 + 18000 + 15000 -> $0.453
    const edge = normalizeUsage('anthropic', {
      input_tokens: 140000,
      cache_read_input_tokens: 60000,
      output_tokens: 1000,
    });
    assert.equal(computeCost('claude-sonnet-4@20250514', edge, AUG_2025), 0.453);
  });

  test('Gemini 2.5 Pro: cached content, thinking tokens, and the tier above 200k', () => {
    const usage = normalizeUsage('gcp.gemini', {
      promptTokenCount: 12000,
      cachedContentTokenCount: 8000,
      candidatesTokenCount: 500,
      thoughtsTokenCount: 1500,
    });
    // 4000 * $1.25 + 8000 * $0.125 + (500 + 1500) * $10 = 5000 + 1000 + 20000 = 26000 -> $0.026
    assert.equal(computeCost('gemini-2.5-pro', usage, new Date('2025-09-01T00:00:00Z')), 0.026);
    const long = normalizeUsage('gcp.gemini', { promptTokenCount: 250000, candidatesTokenCount: 1000 });
    // 250000 * $2.50 + 1000 * $15 = 625000 + 15000 = 640000 -> $0.64
    assert.equal(computeCost('models/gemini-2.5-pro', long, new Date('2025-09-01T00:00:00Z')), 0.64);
    const flash = normalizeUsage('gcp.gemini', {
      promptTokenCount: 1000,
      candidatesTokenCount: 200,
      thoughtsTokenCount: 800,
    });
    // 1000 * $0.30 + (200 + 800) * $2.50 = 300 + 2500 = 2800 -> $0.0028
    assert.equal(computeCost('google/gemini-2.5-flash', flash, new Date('2025-09-01T00:00:00Z')), 0.0028);
  });
});

describe('matching and dates', () => {
  test('the price in force at the call time is used: gpt-4o before and after its October 2024 change', () => {
    // before: 1000 * $5 + 1000 * $15 = 20000 -> $0.02; after: 1000 * $2.50 + 1000 * $10 = 12500 -> $0.0125
    assert.equal(computeCost('gpt-4o', flat(1000, 1000), new Date('2024-09-01T00:00:00Z')), 0.02);
    assert.equal(computeCost('gpt-4o', flat(1000, 1000), new Date('2024-11-01T00:00:00Z')), 0.0125);
    assert.equal(computeCost('gpt-4o', flat(1000, 1000), new Date('2024-01-01T00:00:00Z')), null, 'before any price');
  });

  test('a dated snapshot with its own price wins; other date suffixes fall back to the base model', () => {
    const at = new Date('2025-05-01T00:00:00Z');
    assert.equal(computeCost('gpt-4o-2024-05-13', flat(1000, 1000), at), 0.02);
    assert.equal(computeCost('gpt-4o-2024-11-20', flat(1000, 1000), at), 0.0125);
    assert.equal(computeCost('openai/gpt-4o', flat(1000, 1000), at), 0.0125);
    // gpt-4o-mini is its own model, not gpt-4o with a suffix: 1000 * $0.15 + 1000 * $0.60 = 750 -> $0.00075
    assert.equal(computeCost('gpt-4o-mini', flat(1000, 1000), at), 0.00075);
    assert.equal(computeCost('gpt-4o-turbo-ultra', flat(1000, 1000), at), null);
  });

  test('model ids are normalized from router, Bedrock and Vertex spellings', () => {
    assert.equal(normalizeModelId('openrouter/anthropic/claude-sonnet-4'), 'claude-sonnet-4');
    assert.equal(normalizeModelId('eu.anthropic.claude-3-7-sonnet-20250219-v1:0'), 'claude-3-7-sonnet-20250219');
    assert.equal(normalizeModelId('claude-opus-4-1@20250805'), 'claude-opus-4-1-20250805');
    assert.equal(normalizeModelId(' GPT-4o '), 'gpt-4o');
  });

  test('every shipped entry is valid and names its source', () => {
    assert.doesNotThrow(() => new PriceTable());
    for (const entry of SHIPPED_PRICES) {
      assert.ok(entry.source && entry.asOf, `${entry.model} ${entry.from} has source and asOf`);
    }
  });
});

describe('user prices and the cost meter', () => {
  test('a user entry overrides the shipped price from its date, and prices a model Vigil does not know', () => {
    const table = new PriceTable([
      { model: 'gpt-4o', provider: 'openai', from: '2025-01-01', prices: { input: 2, output: 8 } },
      {
        model: 'acme-chat',
        provider: 'acme',
        match: 'acme-chat(-v\\d)?',
        from: '2025-01-01',
        prices: { input: 1, output: 1 },
      },
    ]);
    // 1000 * $2 + 1000 * $8 = 10000 -> $0.01
    assert.equal(computeCost('gpt-4o', flat(1000, 1000), new Date('2025-06-01T00:00:00Z'), table), 0.01);
    assert.equal(
      computeCost('gpt-4o', flat(1000, 1000), new Date('2024-12-01T00:00:00Z'), table),
      0.0125,
      'shipped before',
    );
    assert.equal(computeCost('acme-chat-v2', flat(500, 1500), new Date('2025-06-01T00:00:00Z'), table), 0.002);
  });

  test('an unknown model costs null with one warning per model; a cost the caller gives wins', () => {
    const { log, out } = captureLogger();
    const meter = createCostMeter({ logger: log, now: () => Date.parse('2025-08-01T00:00:00Z') });
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(meter.price({ model: 'mystery-9', usage: flat(10, 10) }).costUsd, null);
    }
    assert.equal(meter.price({ model: 'mystery-9', usage: flat(10, 10) }).source, 'unknown_model');
    meter.price({ model: 'mystery-10', usage: flat(10, 10) });
    const warnings = out.lines.filter((line) => line.level === 'warning');
    assert.equal(warnings.length, 2);
    assert.equal(warnings[0]!.model, 'mystery-9');
    assert.equal(warnings[0]!.module, 'cost');
    assert.match(String(warnings[0]!.msg), /no price known for model "mystery-9"/);

    assert.deepEqual(meter.price({ model: 'mystery-9', usage: flat(10, 10), costUsd: 0.5 }).costUsd, 0.5);
    assert.deepEqual(meter.price({ model: 'gpt-4o', usage: flat(1000, 1000), costUsd: 0.5 }).source, 'caller');
  });

  test('the meter reads raw usage, and an unreadable one gives null and one warning, never a throw', () => {
    const { log, out } = captureLogger();
    const meter = createCostMeter({ logger: log });
    const priced = meter.price({
      model: 'claude-sonnet-4-20250514',
      provider: 'anthropic',
      rawUsage: { input_tokens: 12, cache_read_input_tokens: 2051, output_tokens: 240 },
      at: AUG_2025,
    });
    assert.equal(priced.costUsd, 0.0042513);
    assert.equal(priced.usage?.inputTokens, 2063);
    const bad = meter.price({
      model: 'gpt-4o',
      provider: 'openai',
      rawUsage: { prompt_tokens: -1, completion_tokens: 2 },
    });
    assert.deepEqual([bad.costUsd, bad.source], [null, 'unreadable_usage']);
    meter.price({ model: 'gpt-4o', provider: 'openai', rawUsage: 'garbage' });
    assert.doesNotThrow(() => meter.price(null as never));
    const warnings = out.lines.filter((line) => line.level === 'warning');
    assert.equal(warnings.filter((w) => w.provider === 'openai').length, 1);
    assert.match(String(warnings[0]!.msg), /usage\.prompt_tokens must be a non-negative integer/);
  });

  test('bad price entries throw VIGIL_BAD_OPTION naming the field', () => {
    const base = { model: 'x', provider: 'p', from: '2025-01-01', prices: { input: 1, output: 1 } };
    const cases: [unknown, RegExp][] = [
      [{ ...base, from: '2025-13-01' }, /prices\[0\]\.from must be a date as YYYY-MM-DD, got "2025-13-01"/],
      [{ ...base, prices: { input: -1, output: 1 } }, /prices\[0\]\.prices\.input must be a finite number >= 0/],
      [{ ...base, prices: { input: 1 } }, /prices\[0\]\.prices\.output must be/],
      [
        { ...base, prices: { input: 1, output: 1, cached: 1 } },
        /prices\[0\]\.prices\.cached must be one of the usage types/,
      ],
      [{ ...base, match: '(' }, /prices\[0\]\.match must be a valid regular expression/],
      [{ ...base, tiers: [{ aboveInputTokens: 0, prices: {} }] }, /prices\[0\]\.tiers\[0\]\.aboveInputTokens/],
      [{ ...base, model: '' }, /prices\[0\]\.model must be a non-empty string/],
    ];
    for (const [entry, message] of cases) {
      assert.throws(
        () => createCostMeter({ prices: [entry as never] }),
        (e: unknown) => e instanceof VigilError && e.code === 'VIGIL_BAD_OPTION' && message.test(e.message),
        String(message),
      );
    }
  });
});
