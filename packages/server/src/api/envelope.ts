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

export function success<T>(data: T, warnings?: string[]): { status: 'success'; data: T; warnings?: string[] } {
  return warnings && warnings.length > 0 ? { status: 'success', data, warnings } : { status: 'success', data };
}

export function failure(error: ApiError): { status: 'error'; errorType: ApiErrorType; error: string } {
  return { status: 'error', errorType: error.errorType, error: error.message };
}
