import type { Redactor } from '../log/redact.js';
import type { SessionState, ToolState } from './session-metrics.js';
import {
  countProblem,
  durationProblem,
  firstProblem,
  MAX_NAME_LENGTH,
  optionalCountProblem,
  optionalTextProblem,
  textProblem,
} from './validate.js';

/** One LLM call as a session records it. */
export interface LlmCallRecord {
  /** Prompt (input) tokens; default 0. */
  promptTokens?: number;
  /** Completion (output) tokens; default 0. */
  completionTokens?: number;
  /** How long the call took, in milliseconds. */
  durationMs: number;
  /** The model used; becomes the session's `model`. */
  model?: string;
  /** The provider used; becomes the session's `provider`. */
  provider?: string;
}

/** One finished tool call. */
export interface ToolCallRecord {
  /** The tool's name (a few distinct names per agent, not an id). */
  tool: string;
  /** True when the call succeeded. */
  ok: boolean;
  /** How long the call took, in milliseconds. */
  durationMs: number;
  /** Why it failed: an Error or a message; kept redacted as the tool's `last_error`. */
  error?: unknown;
}

/** The token split of the current turn's context; an absent part counts 0. */
export interface ContextRecord {
  systemTokens?: number;
  toolsTokens?: number;
  messagesTokens?: number;
}

/** The agent's memory at a point in time; absent fields stay as they were. */
export interface MemoryRecord {
  /** The current goal; null clears it. Redacted and cut to 1000 characters. */
  goal?: string | null;
  factsCount?: number;
  todosCount?: number;
}

/** Where calls to tools past the per-session limit are summed. */
export const OTHER_TOOL = '_other';
const MAX_ERROR_LENGTH = 500;
const MAX_GOAL_LENGTH = 1000;

/** What is wrong with an LLM call record, if anything. */
export function llmCallProblem(call: LlmCallRecord): string | undefined {
  return firstProblem(
    optionalCountProblem(call.promptTokens, 'promptTokens'),
    optionalCountProblem(call.completionTokens, 'completionTokens'),
    durationProblem(call.durationMs, 'durationMs'),
    optionalTextProblem(call.model, 'model', MAX_NAME_LENGTH),
    optionalTextProblem(call.provider, 'provider', MAX_NAME_LENGTH),
  );
}

/** Adds an LLM call that passed `llmCallProblem`. */
export function applyLlmCall(s: SessionState, call: LlmCallRecord): void {
  s.promptTokens += call.promptTokens ?? 0;
  s.completionTokens += call.completionTokens ?? 0;
  s.llmCalls++;
  s.llmTotalMs += call.durationMs;
  s.llmLastMs = call.durationMs;
  if (call.model !== undefined) s.model = call.model;
  if (call.provider !== undefined) s.provider = call.provider;
}

/** What is wrong with a tool call record, if anything. */
export function toolCallProblem(call: ToolCallRecord): string | undefined {
  return firstProblem(
    textProblem(call.tool, 'tool', MAX_NAME_LENGTH),
    typeof call.ok === 'boolean' ? undefined : 'ok must be true or false',
    durationProblem(call.durationMs, 'durationMs'),
  );
}

/** Adds a tool call that passed `toolCallProblem`; returns the name its figures are kept under. */
export function applyToolCall(s: SessionState, call: ToolCallRecord, maxTools: number, redactor: Redactor): string {
  const name = s.tools.has(call.tool) || s.tools.size < maxTools ? call.tool : OTHER_TOOL;
  let tool = s.tools.get(name);
  if (tool === undefined) {
    tool = newTool();
    s.tools.set(name, tool);
  }
  tool.calls++;
  tool.totalMs += call.durationMs;
  tool.lastMs = call.durationMs;
  s.toolCalls++;
  if (call.ok) {
    tool.successes++;
    s.toolSuccesses++;
  } else {
    tool.failures++;
    s.toolFailures++;
    tool.lastError = cut(redactor.redactString(messageOf(call.error)), MAX_ERROR_LENGTH);
  }
  return name;
}

/** What is wrong with a context breakdown, if anything. */
export function contextProblem(c: ContextRecord): string | undefined {
  return firstProblem(
    optionalCountProblem(c.systemTokens, 'systemTokens'),
    optionalCountProblem(c.toolsTokens, 'toolsTokens'),
    optionalCountProblem(c.messagesTokens, 'messagesTokens'),
  );
}

/** Replaces the context breakdown with one that passed `contextProblem`. */
export function applyContext(s: SessionState, c: ContextRecord): void {
  s.contextSystem = c.systemTokens ?? 0;
  s.contextTools = c.toolsTokens ?? 0;
  s.contextMessages = c.messagesTokens ?? 0;
}

/** What is wrong with a memory record, if anything. */
export function memoryProblem(m: MemoryRecord): string | undefined {
  return firstProblem(
    m.goal === undefined || m.goal === null || typeof m.goal === 'string' ? undefined : 'goal must be a string or null',
    m.factsCount === undefined ? undefined : countProblem(m.factsCount, 'factsCount'),
    m.todosCount === undefined ? undefined : countProblem(m.todosCount, 'todosCount'),
  );
}

/** Sets the memory fields given in a record that passed `memoryProblem`. */
export function applyMemory(s: SessionState, m: MemoryRecord, redactor: Redactor): void {
  if (m.goal !== undefined) s.memoryGoal = m.goal === null ? null : cut(redactor.redactString(m.goal), MAX_GOAL_LENGTH);
  if (m.factsCount !== undefined) s.memoryFacts = m.factsCount;
  if (m.todosCount !== undefined) s.memoryTodos = m.todosCount;
}

function newTool(): ToolState {
  return { calls: 0, successes: 0, failures: 0, totalMs: 0, lastMs: 0, lastError: null };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string' && error !== '') return error;
  return 'failed (no error given)';
}

/** Cut to `max` characters, redaction first so a cut never leaves half a secret visible. */
function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
