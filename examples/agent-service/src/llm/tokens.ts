/** Per-message overhead of the chat format (role markers, separators), as real tokenizers count it. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * Roughly how many tokens a text costs: about four characters a token for English, which is
 * the rule of thumb providers publish. Exact counts do not matter to a simulation.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + MESSAGE_OVERHEAD_TOKENS;
}
