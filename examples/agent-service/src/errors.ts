/** Stable error codes of the demo agent's HTTP API, with the status each answers and what it means. */
export const API_ERROR_CODES = {
  BAD_SESSION_ID: { status: 400, meaning: 'the sessionId in the path is not a safe id' },
  BAD_JSON: { status: 400, meaning: 'the request body is not valid JSON' },
  BAD_BODY: { status: 400, meaning: 'the request body is not a JSON object' },
  BAD_FIELD: { status: 400, meaning: 'a body field has the wrong type or value' },
  UNKNOWN_FIELD: { status: 400, meaning: 'the body has a field the route does not know' },
  BAD_HEADER: { status: 400, meaning: 'a request header has an unusable value' },
  BAD_REQUEST: { status: 400, meaning: 'the HTTP request itself is malformed' },
  NOT_FOUND: { status: 404, meaning: 'no route has this method and path' },
  SESSION_BUSY: { status: 409, meaning: 'the session is already running a turn' },
  BODY_TOO_LARGE: { status: 413, meaning: 'the request body is larger than the route accepts' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'the Content-Type header cannot be read' },
  BUDGET_EXHAUSTED: { status: 429, meaning: 'the LLM spending budget is used up until it resets' },
  INTERNAL: { status: 500, meaning: 'a bug in the agent service; the logs have details' },
  LLM_UNAVAILABLE: { status: 502, meaning: 'the LLM provider kept failing, retries included' },
  OVERLOADED: { status: 503, meaning: 'every worker is busy and the turn queue is full' },
} as const;

/** One of the API's error codes. */
export type ApiErrorCode = keyof typeof API_ERROR_CODES;

/** The body of every error answer. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; field?: string };
}

/** An error answer of the HTTP API: a stable code, its status, and a message naming what was wrong. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  /** The input that was wrong (`text`, `sessionId`, `X-User-ID`...), when one was. */
  readonly field: string | undefined;
  /** Seconds the client should wait before retrying (sent as `Retry-After`), when known. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ApiErrorCode, message: string, field?: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = API_ERROR_CODES[code].status;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The JSON answer for this error. */
  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}
