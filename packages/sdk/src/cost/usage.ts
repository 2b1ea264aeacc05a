import { VigilError } from '../errors.js';
import type { TokenUsage } from './types.js';

/** The usage shapes `normalizeUsage` reads. */
export type UsageShape = 'openai' | 'anthropic' | 'gemini' | 'bedrock';

/** Provider names (OpenTelemetry `gen_ai.provider.name` and common aliases) and the usage shape they report. */
const SHAPES: Record<string, UsageShape> = {
  openai: 'openai',
  'azure.ai.openai': 'openai',
  azure: 'openai',
  mistral_ai: 'openai',
  mistral: 'openai',
  deepseek: 'openai',
  groq: 'openai',
  xai: 'openai',
  openrouter: 'openai',
  anthropic: 'anthropic',
  'gcp.gemini': 'gemini',
  'gcp.vertex_ai': 'gemini',
  gemini: 'gemini',
  google: 'gemini',
  vertex: 'gemini',
  'aws.bedrock': 'bedrock',
  bedrock: 'bedrock',
};

type Raw = Record<string, unknown>;

/**
 * Reads a provider's usage object into Vigil's convention, where input INCLUDES cached
 * tokens (OpenTelemetry's `gen_ai.usage.input_tokens`) and output INCLUDES reasoning:
 *
 * - OpenAI chat (`prompt_tokens` includes `prompt_tokens_details.cached_tokens`;
 *   `completion_tokens` includes `completion_tokens_details.reasoning_tokens`) and Responses
 *   (`input_tokens`/`output_tokens` with `*_details`): already in the convention.
 * - Anthropic: `input_tokens` EXCLUDES `cache_read_input_tokens` and
 *   `cache_creation_input_tokens`; they are added (`cache_creation.ephemeral_1h_input_tokens`
 *   gives `cacheCreation1hInputTokens`). Thinking is inside `output_tokens`, not
 *   reported apart, so `reasoningTokens` is 0.
 * - Gemini (`usageMetadata`, camelCase or snake_case): `promptTokenCount` includes
 *   `cachedContentTokenCount`; `thoughtsTokenCount` is NOT in `candidatesTokenCount`, so
 *   output = candidates + thoughts; `toolUsePromptTokenCount` is added to input.
 * - Bedrock Converse: `inputTokens` excludes `cacheReadInputTokens`/`cacheWriteInputTokens`.
 *
 * A Vertex AI Claude response is Anthropic's shape: a `gcp.vertex_ai` usage with
 * `input_tokens` is read as Anthropic's. Throws VIGIL_BAD_OPTION naming the field it could
 * not read; recorders catch it and log (see `CostMeter`).
 */
export function normalizeUsage(provider: string, raw: unknown): TokenUsage {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw unreadable(provider, `usage must be an object, got ${describe(raw)}`);
  }
  const usage = raw as Raw;
  const shape = shapeOf(provider, usage);
  if (shape === undefined) {
    throw unreadable(
      provider,
      `unknown provider and no known usage fields (saw ${Object.keys(usage).slice(0, 8).join(', ') || 'none'})`,
    );
  }
  const read = reader(provider, usage);
  switch (shape) {
    case 'openai':
      return 'prompt_tokens' in usage ? openAiChat(read) : openAiResponses(read);
    case 'anthropic':
      return anthropic(read);
    case 'gemini':
      return gemini(read, 'promptTokenCount' in usage || !('prompt_token_count' in usage));
    case 'bedrock':
      return 'inputTokens' in usage ? bedrockConverse(read) : anthropic(read);
  }
}

function shapeOf(provider: string, usage: Raw): UsageShape | undefined {
  const named = SHAPES[String(provider).toLowerCase()];
  if (named === 'gemini' && 'input_tokens' in usage) return 'anthropic'; // Claude on Vertex AI
  if (named !== undefined) return named;
  if ('prompt_tokens' in usage) return 'openai';
  if ('promptTokenCount' in usage || 'prompt_token_count' in usage) return 'gemini';
  if ('cache_read_input_tokens' in usage || 'cache_creation_input_tokens' in usage) return 'anthropic';
  if ('input_tokens_details' in usage || 'output_tokens_details' in usage) return 'openai';
  if ('inputTokens' in usage && 'outputTokens' in usage) return 'bedrock';
  return undefined;
}

interface Read {
  /** A required count at `path` (dot separated). */
  need(path: string): number;
  /** An optional count at `path`: 0 when absent or null. */
  may(path: string): number;
}

function reader(provider: string, usage: Raw): Read {
  const at = (path: string): unknown => {
    let value: unknown = usage;
    for (const key of path.split('.')) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Raw)[key];
    }
    return value;
  };
  const check = (path: string, value: unknown): number => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    throw unreadable(provider, `usage.${path} must be a non-negative integer, got ${describe(value)}`);
  };
  return {
    need: (path) => check(path, at(path)),
    may: (path) => {
      const value = at(path);
      return value === undefined || value === null ? 0 : check(path, value);
    },
  };
}

function openAiChat(read: Read): TokenUsage {
  return inConvention(
    read.need('prompt_tokens'),
    read.may('prompt_tokens_details.cached_tokens'),
    0,
    read.need('completion_tokens'),
    read.may('completion_tokens_details.reasoning_tokens'),
    'prompt_tokens_details.cached_tokens',
  );
}

function openAiResponses(read: Read): TokenUsage {
  return inConvention(
    read.need('input_tokens'),
    read.may('input_tokens_details.cached_tokens'),
    0,
    read.need('output_tokens'),
    read.may('output_tokens_details.reasoning_tokens'),
    'input_tokens_details.cached_tokens',
  );
}

function anthropic(read: Read): TokenUsage {
  const cacheRead = read.may('cache_read_input_tokens');
  const cacheWrite = read.may('cache_creation_input_tokens');
  const usage = inConvention(
    read.need('input_tokens') + cacheRead + cacheWrite,
    cacheRead,
    cacheWrite,
    read.need('output_tokens'),
    0,
  );
  // The TTL split (`cache_creation.ephemeral_1h_input_tokens`) prices 1-hour writes apart.
  usage.cacheCreation1hInputTokens = Math.min(read.may('cache_creation.ephemeral_1h_input_tokens'), cacheWrite);
  return usage;
}

function gemini(read: Read, camel: boolean): TokenUsage {
  const f = camel
    ? {
        prompt: 'promptTokenCount',
        cached: 'cachedContentTokenCount',
        tool: 'toolUsePromptTokenCount',
        out: 'candidatesTokenCount',
        thoughts: 'thoughtsTokenCount',
      }
    : {
        prompt: 'prompt_token_count',
        cached: 'cached_content_token_count',
        tool: 'tool_use_prompt_token_count',
        out: 'candidates_token_count',
        thoughts: 'thoughts_token_count',
      };
  const thoughts = read.may(f.thoughts);
  return inConvention(
    read.need(f.prompt) + read.may(f.tool),
    read.may(f.cached),
    0,
    read.may(f.out) + thoughts,
    thoughts,
    f.cached,
  );
}

function bedrockConverse(read: Read): TokenUsage {
  const cacheRead = read.may('cacheReadInputTokens');
  const cacheWrite = read.may('cacheWriteInputTokens');
  return inConvention(
    read.need('inputTokens') + cacheRead + cacheWrite,
    cacheRead,
    cacheWrite,
    read.need('outputTokens'),
    0,
  );
}

function inConvention(
  inputTokens: number,
  cacheReadInputTokens: number,
  cacheCreationInputTokens: number,
  outputTokens: number,
  reasoningTokens: number,
  cachedField = 'cache_read_input_tokens',
): TokenUsage {
  if (cacheReadInputTokens + cacheCreationInputTokens > inputTokens) {
    throw new VigilError(
      'VIGIL_BAD_OPTION',
      `normalizeUsage: usage.${cachedField} (${cacheReadInputTokens}) exceeds the input tokens (${inputTokens}) that include it`,
    );
  }
  if (reasoningTokens > outputTokens) {
    throw new VigilError(
      'VIGIL_BAD_OPTION',
      `normalizeUsage: reasoning tokens (${reasoningTokens}) exceed the output tokens (${outputTokens}) that include them`,
    );
  }
  return {
    inputTokens,
    cacheReadInputTokens,
    cacheCreationInputTokens,
    cacheCreation1hInputTokens: 0,
    outputTokens,
    reasoningTokens,
  };
}

/**
 * Usage given in Vigil's convention (`usage: { inputTokens, outputTokens, ... }`) with every
 * count present: 0 for those left out. Throws VIGIL_BAD_OPTION naming the first count that is
 * not a whole number >= 0 (recorders catch it: the call's cost is null, its tokens 0).
 */
export function filledUsage(usage: Partial<TokenUsage>): TokenUsage {
  if (usage === null || typeof usage !== 'object' || Array.isArray(usage)) {
    throw new VigilError('VIGIL_BAD_OPTION', `usage must be an object, got ${describe(usage)}`);
  }
  // A literal of one shape: cheaper than spreading over defaults, and this runs once per call.
  return {
    inputTokens: count(usage.inputTokens, 'inputTokens'),
    cacheReadInputTokens: count(usage.cacheReadInputTokens, 'cacheReadInputTokens'),
    cacheCreationInputTokens: count(usage.cacheCreationInputTokens, 'cacheCreationInputTokens'),
    cacheCreation1hInputTokens: count(usage.cacheCreation1hInputTokens, 'cacheCreation1hInputTokens'),
    outputTokens: count(usage.outputTokens, 'outputTokens'),
    reasoningTokens: count(usage.reasoningTokens, 'reasoningTokens'),
  };
}

function count(value: unknown, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new VigilError('VIGIL_BAD_OPTION', `usage.${field} must be a whole number >= 0, got ${describe(value)}`);
}

function unreadable(provider: string, why: string): VigilError {
  return new VigilError('VIGIL_BAD_OPTION', `normalizeUsage(${JSON.stringify(provider)}): ${why}`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `a string ${JSON.stringify(value.slice(0, 40))}`;
  return JSON.stringify(value)?.slice(0, 60) ?? String(value);
}
