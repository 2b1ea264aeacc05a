type Bag = Record<string, unknown>;

/** What Vigil reads from an LLM response: the raw usage and the answering model. */
export interface ResponseFacts {
  /** The provider's own usage object (read later with `normalizeUsage`). */
  usage?: unknown;
  /** `gen_ai.response.model`. */
  model?: string;
  /** `gen_ai.response.id`. */
  id?: string;
  /** `gen_ai.response.finish_reasons`. */
  finishReasons?: string[];
}

/**
 * Reads usage, model, id and finish reasons from the common response shapes: OpenAI chat
 * completions and Responses (`usage`, `model`, `id`, `choices[].finish_reason`), Anthropic
 * Messages (`usage`, `model`, `id`, `stop_reason`), Gemini (`usageMetadata`, `modelVersion`,
 * `responseId`, `candidates[].finishReason`, also under `response`), Bedrock Converse (`usage`,
 * `stopReason`). Anything else gives no facts; pass `readResponse` for your own shape.
 */
export function readResponse(result: unknown): ResponseFacts {
  if (!isBag(result)) return {};
  const r = isBag(result.response) && !('usage' in result) ? result.response : result;
  const facts: ResponseFacts = {};
  const usage = r.usage ?? r.usageMetadata ?? r.usage_metadata;
  if (isBag(usage)) facts.usage = usage;
  const model = r.model ?? r.modelVersion ?? r.model_version;
  if (typeof model === 'string' && model !== '') facts.model = model;
  const id = r.id ?? r.responseId ?? r.response_id;
  if (typeof id === 'string' && id !== '') facts.id = id;
  const reasons = finishReasons(r);
  if (reasons.length > 0) facts.finishReasons = reasons;
  return facts;
}

function finishReasons(r: Bag): string[] {
  const out: string[] = [];
  const single = r.stop_reason ?? r.stopReason;
  if (typeof single === 'string') out.push(single);
  const list = Array.isArray(r.choices) ? r.choices : Array.isArray(r.candidates) ? r.candidates : [];
  for (const item of list) {
    if (!isBag(item)) continue;
    const reason = item.finish_reason ?? item.finishReason;
    if (typeof reason === 'string') out.push(reason);
  }
  return out;
}

function isBag(value: unknown): value is Bag {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
