import { pick, type Random } from '../random.js';
import type { Tool } from '../tools/tool.js';
import type { ToolCallRequest } from '../tools/toolbox.js';

/** One message of a conversation, with its token cost counted once when it was written. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  tokens: number;
  /** For `tool` messages: which tool answered. */
  toolName?: string;
}

const MAX_TOOL_CALLS = 2;
const OPENERS = ['Here is what I found.', 'Sure.', 'Done.', 'Good question.'] as const;
const SMALL_TALK = [
  'Hello! I can look things up in the docs, check the weather or do some arithmetic.',
  'Happy to help. Could you tell me a bit more about what you need?',
  'I think the short answer is yes, with the usual caveats about rate limits.',
  'That depends on your setup; the docs have a page on it if you want details.',
  'Noted. Anything else I can do for you?',
] as const;

/**
 * Decides which tools to call for a user message, as a model would: 0 to 2 calls, every tool
 * the words plainly ask for (weather, arithmetic, docs) first, the rest at random.
 */
export function chooseToolCalls(random: Random, userText: string, tools: readonly Tool[]): ToolCallRequest[] {
  if (tools.length === 0) return [];
  const roll = random();
  const wanted = tools.filter((tool) => tool.matches(userText));
  const drawn = roll < 0.45 ? 0 : roll < 0.85 ? 1 : 2;
  const count = Math.min(MAX_TOOL_CALLS, Math.max(drawn, wanted.length));
  const others = tools.filter((tool) => !wanted.includes(tool));
  const chosen = [...wanted];
  while (chosen.length < count && others.length > 0) {
    const [next] = others.splice(Math.floor(random() * others.length), 1);
    if (next !== undefined) chosen.push(next);
  }
  return chosen.slice(0, count).map((tool) => ({ name: tool.name, arguments: tool.argumentsFor(userText, random) }));
}

/** Writes the final answer of a turn from the tool results that follow the last user message. */
export function writeReply(random: Random, messages: readonly ChatMessage[]): string {
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  const results = messages.slice(lastUser + 1).filter((message) => message.role === 'tool');
  if (results.length === 0) return pick(random, SMALL_TALK);
  const lines = results.map((result) => `${result.toolName ?? 'tool'}: ${result.content}`);
  return `${pick(random, OPENERS)} ${lines.join(' | ')}`;
}
