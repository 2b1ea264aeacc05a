/** Stable error codes of @vigil/sdk; each one is listed in docs/errors.md. */
export const SDK_ERROR_CODES = {
  VIGIL_BAD_LOG_FILTER: 'a VIGIL_LOG filter could not be parsed',
  VIGIL_BAD_OPTION: 'an option passed to the SDK is invalid',
  VIGIL_MISSING_PEER: 'an optional peer package needed for a feature is not installed',
  VIGIL_TURN_POOL_FULL: 'every worker of a turn pool is busy and its queue is full',
} as const;

/** One of the SDK's stable error codes. */
export type SdkErrorCode = keyof typeof SDK_ERROR_CODES;

/** The one error class of @vigil/sdk: `code` is stable, `message` says what and where. */
export class VigilError extends Error {
  readonly code: SdkErrorCode;

  constructor(code: SdkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VigilError';
    this.code = code;
  }
}
