/** Stable error codes of @vigil/server; each one is listed in docs/errors.md. */
export const SERVER_ERROR_CODES = {
  VIGIL_BAD_ARGUMENT: 'a command-line argument is invalid',
  VIGIL_UNREACHABLE: 'a service could not be reached',
  VIGIL_BAD_RESPONSE: 'a service answered something that is not what was asked for',
  VIGIL_UNAUTHORIZED: 'a service refused the admin credential',
  VIGIL_BAD_CONFIG:
    'the service configuration (vigil.yaml, a file_sd file or an environment variable) is invalid; the message names the file, line and field',
  VIGIL_CONFIG_UNSUPPORTED:
    'the configuration uses a prometheus.yml option Vigil does not support; the message names the option instead of ignoring it',
  VIGIL_QUERY_REJECTED:
    "the service rejected a query (bad expression, too many samples, timeout); the message has Prometheus's errorType and error",
  VIGIL_DATA_DIR_LOCKED:
    'another process (the service, or an import) is using the data directory; the message names its pid',
  VIGIL_UPSTREAM:
    'the upstream Prometheus (vigil.upstream_prometheus) cannot be reached or refused a query; the message says which and why',
  VIGIL_LISTEN:
    'the service cannot listen on its address (port in use, no permission); the message says which and how to change it',
  VIGIL_BAD_RULES:
    'a rule file is invalid (YAML, unknown key, expression, duration, label name, template); the message names the file, line, group and rule',
  VIGIL_BAD_SILENCE:
    'a silence is invalid (no matcher, bad label name or regex, matchers that match every alert, endsAt not after startsAt, no creator or comment)',
} as const;

/** One of the server's stable error codes. */
export type ServerErrorCode = keyof typeof SERVER_ERROR_CODES;

/** The one error class of @vigil/server: `code` is stable, `message` says what and where. */
export class ServerError extends Error {
  readonly code: ServerErrorCode;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerError';
    this.code = code;
  }
}
