// The public API of @vigil/server, as an explicit list: the CLI, and the service to run in-process.
export { type Alerting, type AlertingOptions, createAlerting } from './alerting/index.js';
export { type CliIo, EXIT_FAILED, runCli } from './cli/program.js';
export { loadConfig, parseConfig, type VigilConfig } from './config/index.js';
export { SERVER_ERROR_CODES, ServerError, type ServerErrorCode } from './errors.js';
export { createRemoteWrite, type RemoteWrite, remoteWriteReceiver } from './remote-write/index.js';
export { runRulesCheck } from './rules/index.js';
export { ScrapeLoop, type ScrapeLoopOptions, type ScrapeOutcome } from './scrape/scrape-loop.js';
export { ScrapeManager } from './scrape/scrape-manager.js';
export type { SampleSink, ScrapeLimits, ScrapeTarget, TargetHealth } from './scrape/target.js';
export { type RunningService, type StartOptions, serve, startService } from './service/serve.js';
export { buildService, type Service, type ServiceParts, VERSION } from './service/service.js';
export { tsdbStorage } from './service/tsdb-storage.js';
