// Prometheus HTTP API v1 envelopes: `{ status: 'success', data }` and errors with `errorType`.

/** Prometheus's errorType values and the HTTP status each one answers with. */
export const API_ERROR_STATUS = {
  bad_data: 400,
  execution: 422,
  canceled: 503,
  timeout: 503,
  internal: 500,
  not_found: 404,
  unavailable: 503,
} as const;

export type ApiErrorType = keyof typeof API_ERROR_STATUS;

/** An API error a route throws; the app answers it as Prometheus does. */
export class ApiError extends Error {
  readonly errorType: ApiErrorType;

  constructor(errorType: ApiErrorType, message: string) {
    super(message);
    this.name = 'ApiError';
    this.errorType = errorType;
  }
}

/** Data with the query's annotations, which Prometheus puts beside `data` in the envelope. */
export class Annotated<T> {
  constructor(
    readonly data: T,
    readonly warnings: string[] | undefined,
    readonly infos: string[] | undefined,
  ) {}
}

/** The success envelope; `warnings` and `infos` only when there are some. */
export function success<T>(answer: T | Annotated<T>) {
  if (!(answer instanceof Annotated)) return { status: 'success' as const, data: answer };
  return {
    status: 'success' as const,
    data: answer.data,
    ...(answer.warnings?.length ? { warnings: answer.warnings } : {}),
    ...(answer.infos?.length ? { infos: answer.infos } : {}),
  };
}

export function failure(error: ApiError): { status: 'error'; errorType: ApiErrorType; error: string } {
  return { status: 'error', errorType: error.errorType, error: error.message };
}
