import { ApiError } from '../errors.js';

/** Longest `text` accepted, in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 32 * 1024;
/** Largest `delayMs` accepted. */
export const MAX_DELAY_MS = 60_000;

// The first character an id may not hold, so the message can say where it is.
const NOT_SESSION_ID_CHAR = /[^A-Za-z0-9._-]/;
const NOT_USER_ID_CHAR = /[^A-Za-z0-9._@-]/;
const MAX_ID_LENGTH = 128;
const BODY_FIELDS = ['text', 'delayMs', 'userId'] as const;

/** A validated `POST /v1/sessions/:sessionId/messages` body. */
export interface MessageInput {
  text: string;
  delayMs?: number;
  userId?: string;
}

/** Checks the `sessionId` path parameter: 1–128 letters, digits, `.`, `_` or `-`. */
export function parseSessionId(value: unknown): string {
  const problem = idProblem(value, NOT_SESSION_ID_CHAR);
  if (problem !== undefined) {
    throw new ApiError(
      'BAD_SESSION_ID',
      `sessionId must be 1-128 letters, digits, ".", "_" or "-" (${problem})`,
      'sessionId',
    );
  }
  return value as string;
}

/** Checks an `X-User-ID` header; undefined when absent. */
export function parseUserIdHeader(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problem = Array.isArray(value) ? 'the header is repeated' : idProblem(value, NOT_USER_ID_CHAR);
  if (problem !== undefined) {
    throw new ApiError(
      'BAD_HEADER',
      `X-User-ID must be 1-128 letters, digits, ".", "_", "-" or "@" (${problem})`,
      'X-User-ID',
    );
  }
  return value as string;
}

/** Checks the message body: an object with `text`, and optionally `delayMs` and `userId`, nothing else. */
export function parseMessageBody(body: unknown): MessageInput {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    const got = body === undefined ? 'an empty body' : Array.isArray(body) ? 'an array' : kindOf(body);
    throw new ApiError('BAD_BODY', `request body must be a JSON object like {"text": "hello"} (got ${got})`, 'body');
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !(BODY_FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    const names = unknown.map((key) => JSON.stringify(key.slice(0, 40))).join(', ');
    const label = unknown.length === 1 ? 'field' : 'fields';
    throw new ApiError('UNKNOWN_FIELD', `unknown ${label} ${names} (allowed: ${BODY_FIELDS.join(', ')})`, unknown[0]);
  }
  const input: MessageInput = { text: parseText(fields.text) };
  if (fields.delayMs !== undefined) input.delayMs = parseDelayMs(fields.delayMs);
  if (fields.userId !== undefined) {
    const problem = idProblem(fields.userId, NOT_USER_ID_CHAR);
    if (problem !== undefined) {
      throw new ApiError(
        'BAD_FIELD',
        `field "userId" must be 1-128 letters, digits, ".", "_", "-" or "@" (${problem})`,
        'userId',
      );
    }
    input.userId = fields.userId as string;
  }
  return input;
}

function parseText(value: unknown): string {
  if (value === undefined) throw new ApiError('BAD_FIELD', 'field "text" is required: the user\'s message', 'text');
  if (typeof value !== 'string')
    throw new ApiError('BAD_FIELD', `field "text" must be a string (got ${kindOf(value)})`, 'text');
  if (value.trim() === '') throw new ApiError('BAD_FIELD', 'field "text" must not be empty', 'text');
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_TEXT_BYTES) {
    throw new ApiError(
      'BAD_FIELD',
      `field "text" must be at most ${MAX_TEXT_BYTES} bytes of UTF-8 (got ${bytes})`,
      'text',
    );
  }
  return value;
}

function parseDelayMs(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_DELAY_MS) {
    const got = typeof value === 'number' ? String(value) : kindOf(value);
    throw new ApiError(
      'BAD_FIELD',
      `field "delayMs" must be an integer from 0 to ${MAX_DELAY_MS} (got ${got})`,
      'delayMs',
    );
  }
  return value;
}

function idProblem(value: unknown, forbidden: RegExp): string | undefined {
  if (typeof value !== 'string') return `got ${kindOf(value)}`;
  if (value.length === 0) return 'it is empty';
  if (value.length > MAX_ID_LENGTH) return `it is ${value.length} characters long`;
  const at = value.search(forbidden);
  if (at !== -1) return `character ${at + 1} is not allowed`;
  return undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
