export { type CliIo, EXIT_FAILED, runCli } from './cli/program.js';
export { SERVER_ERROR_CODES, ServerError, type ServerErrorCode } from './errors.js';
