import type { LlmErrorType } from '../metrics/agent.js';

type Bag = Record<string, unknown>;

/** Provider error codes and types (OpenAI `code`/`type`, Anthropic `error.type`, Gemini `status`, Bedrock names). */
const BY_CODE: Record<string, LlmErrorType> = {
  rate_limit_exceeded: 'rate_limited',
  rate_limit_error: 'rate_limited',
  insufficient_quota: 'rate_limited',
  resource_exhausted: 'rate_limited',
  throttlingexception: 'rate_limited',
  toomanyrequestsexception: 'rate_limited',
  servicequotaexceededexception: 'rate_limited',
  overloaded_error: 'server_error',
  api_error: 'server_error',
  server_error: 'server_error',
  internal: 'server_error',
  unavailable: 'server_error',
  serviceunavailableexception: 'server_error',
  internalserverexception: 'server_error',
  modelnotreadyexception: 'server_error',
  authentication_error: 'authentication',
  permission_error: 'authentication',
  invalid_api_key: 'authentication',
  unauthenticated: 'authentication',
  permission_denied: 'authentication',
  accessdeniedexception: 'authentication',
  unrecognizedclientexception: 'authentication',
  context_length_exceeded: 'context_length_exceeded',
  string_above_max_length: 'context_length_exceeded',
  content_filter: 'content_filter',
  content_policy_violation: 'content_filter',
  invalid_request_error: 'invalid_request',
  invalid_argument: 'invalid_request',
  not_found_error: 'invalid_request',
  validationexception: 'invalid_request',
  deadline_exceeded: 'timeout',
  modeltimeoutexception: 'timeout',
  timeouterror: 'timeout',
  apiconnectiontimeouterror: 'timeout',
  etimedout: 'timeout',
  und_err_headers_timeout: 'timeout',
  und_err_body_timeout: 'timeout',
  aborterror: 'cancelled',
  apiuseraborterror: 'cancelled',
  cancelled: 'cancelled',
};

const CONTEXT_LENGTH = /context[ _-]?(?:length|window)|maximum context|prompt is too long|too many tokens/i;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.]{0,63}$/;

/**
 * The OpenTelemetry `error.type` of a failed LLM call, read from the error's shape (never its
 * message, apart from spotting a context-length refusal): HTTP status (`status`, `statusCode`,
 * `response.status`, `$metadata.httpStatusCode`: 429 is `rate_limited`, 401/403
 * `authentication`, 408/504 `timeout`, 5xx/529 `server_error`, other 4xx `invalid_request`),
 * provider codes and types (OpenAI, Anthropic, Gemini, Bedrock), abort and timeout errors; else
 * the error's class name, else `_OTHER`.
 */
export function errorTypeOf(error: unknown): LlmErrorType {
  if (error === null || typeof error !== 'object') return '_OTHER';
  const e = error as Bag;
  const inner = isBag(e.error) ? e.error : undefined;
  // Anthropic's body nests once more: {type: 'error', error: {type: 'rate_limit_error', ...}}.
  const body = isBag(inner?.error) ? inner.error : undefined;
  for (const code of [e.code, e.type, inner?.code, inner?.type, inner?.status, body?.type, e.status, e.name]) {
    if (typeof code !== 'string') continue;
    const found = BY_CODE[code.toLowerCase()];
    if (found !== undefined) return found;
  }
  const status = httpStatus(e);
  if (status !== undefined) {
    if (status === 429) return 'rate_limited';
    if (status === 401 || status === 403) return 'authentication';
    if (status === 408 || status === 504) return 'timeout';
    if (status >= 500) return 'server_error';
    if (status >= 400) return contextLength(e, inner) ? 'context_length_exceeded' : 'invalid_request';
  }
  const name = typeof e.name === 'string' ? e.name : undefined;
  return name !== undefined && name !== 'Error' && IDENTIFIER.test(name) ? name : '_OTHER';
}

/** The invocation status a failed call gets: `timeout` and `cancelled` apart, `error` otherwise. */
export function statusOfErrorType(type: LlmErrorType): 'error' | 'timeout' | 'cancelled' {
  if (type === 'timeout') return 'timeout';
  return type === 'cancelled' ? 'cancelled' : 'error';
}

function httpStatus(e: Bag): number | undefined {
  const response = isBag(e.response) ? e.response : undefined;
  const metadata = isBag(e.$metadata) ? e.$metadata : undefined;
  for (const value of [e.status, e.statusCode, response?.status, response?.statusCode, metadata?.httpStatusCode]) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 100 && value < 600) return value;
  }
  return undefined;
}

function contextLength(e: Bag, inner: Bag | undefined): boolean {
  const message = typeof inner?.message === 'string' ? inner.message : e.message;
  return typeof message === 'string' && CONTEXT_LENGTH.test(message);
}

function isBag(value: unknown): value is Bag {
  return value !== null && typeof value === 'object';
}
