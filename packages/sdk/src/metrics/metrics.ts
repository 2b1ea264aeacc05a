import {
  Counter,
  collectDefaultMetrics,
  type DefaultMetricsCollectorConfiguration,
  Gauge,
  register as globalRegistry,
  Histogram,
  Registry,
  type RegistryContentType,
} from 'prom-client';
import { VigilError } from '../errors.js';
import { getLogger, type Logger } from '../log/logger.js';
import { AgentMetrics } from './agent.js';
import { BoundedCounter, BoundedGauge, BoundedHistogram, type SeriesEvents } from './bounded.js';
import { createHttpFamilies, type HttpFamilies } from './red/families.js';

/** A prom-client registry of either exposition type. */
export type AnyRegistry = Registry<RegistryContentType>;

/** prom-client's default-metrics settings that Vigil passes through (`register` and `prefix` are Vigil's). */
export type DefaultMetricsOptions = Omit<
  DefaultMetricsCollectorConfiguration<RegistryContentType>,
  'register' | 'prefix'
>;

/** Options of `createMetrics`. */
export interface MetricsOptions {
  /** Where the metrics live: your own prom-client `Registry`, `'global'` for prom-client's global one, or (default) a new one. */
  registry?: AnyRegistry | 'global';
  /** Put in front of every metric name Vigil registers, the process metrics included (default none). */
  prefix?: string;
  /** Node.js process metrics (`process_cpu_seconds_total`, ...): on by default; `false` turns them off. */
  defaultMetrics?: boolean | DefaultMetricsOptions;
  /** Most label sets one metric may hold; new ones beyond are dropped and counted (default 10,000). */
  maxSeriesPerMetric?: number;
  /** Where the one-per-metric warnings go (default: the SDK's default logger, resolved when first needed). */
  logger?: Logger;
}

/** Definition of a metric created through Vigil. */
export interface MetricConfig<L extends string> {
  /** Prometheus name, unit suffixed (`_seconds`, `_bytes`) and, for counters, ending in `_total`; the prefix is added. */
  name: string;
  /** The `# HELP` text. */
  help: string;
  labelNames?: readonly L[];
}

/** Definition of a histogram: a metric plus its bucket upper bounds. */
export interface HistogramConfig<L extends string> extends MetricConfig<L> {
  buckets: readonly number[];
}

const DEFAULT_MAX_SERIES = 10_000;
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

let defaultMetrics: Metrics | undefined;

/**
 * Vigil's metrics on one prom-client registry: the HTTP RED families, the agent and GenAI
 * families, process metrics, and any metric you add with `counter()`, `gauge()` or
 * `histogram()`. Every one of them has a label-set limit and never throws into your code.
 */
export class Metrics {
  /** The registry every metric is registered in; serve it with `metricsResponse()`. */
  readonly registry: AnyRegistry;
  /** The prefix added to every name. */
  readonly prefix: string;
  /** Most label sets per metric. */
  readonly maxSeriesPerMetric: number;
  /** The HTTP RED families the request middleware records into. */
  readonly http: HttpFamilies;
  /** Agent and GenAI client metrics, with typed recording functions. */
  readonly agent: AgentMetrics;

  readonly #dropped: Counter<'metric'>;
  readonly #rejected: Counter<'metric'>;
  readonly #warned = new Set<string>();
  readonly #logger: Logger | undefined;
  #log: Logger | undefined;
  readonly #events: SeriesEvents = {
    dropped: (metric, limit) => {
      this.#dropped.inc({ metric });
      this.#warnOnce(
        `dropped:${metric}`,
        { metric, limit },
        `metric ${metric} reached its limit of ${limit} label sets: new label sets are dropped and counted in ${this.prefix}vigil_metrics_dropped_series_total`,
      );
    },
    rejected: (metric, reason) => {
      this.#rejected.inc({ metric });
      this.#warnOnce(
        `rejected:${metric}`,
        { metric, reason },
        `metric ${metric} refused an invalid write (${reason}); further ones are counted in ${this.prefix}vigil_metrics_rejected_samples_total`,
      );
    },
  };

  constructor(options: MetricsOptions = {}) {
    const { registry, prefix = '', defaultMetrics: processMetrics = true, maxSeriesPerMetric } = options;
    if (prefix !== '' && !NAME.test(prefix)) {
      throw new VigilError('VIGIL_BAD_OPTION', `createMetrics: option "prefix" must match ${NAME}, got "${prefix}"`);
    }
    if (maxSeriesPerMetric !== undefined && !(Number.isInteger(maxSeriesPerMetric) && maxSeriesPerMetric > 0)) {
      throw new VigilError(
        'VIGIL_BAD_OPTION',
        `createMetrics: option "maxSeriesPerMetric" must be a positive integer, got ${maxSeriesPerMetric}`,
      );
    }
    if (registry !== undefined && registry !== 'global' && typeof registry?.registerMetric !== 'function') {
      throw new VigilError(
        'VIGIL_BAD_OPTION',
        'createMetrics: option "registry" must be a prom-client Registry or "global"',
      );
    }
    this.registry = registry === 'global' ? globalRegistry : (registry ?? new Registry());
    this.prefix = prefix;
    this.maxSeriesPerMetric = maxSeriesPerMetric ?? DEFAULT_MAX_SERIES;
    this.#logger = options.logger;

    this.#dropped = this.#register(
      `${prefix}vigil_metrics_dropped_series_total`,
      (name) =>
        new Counter({
          name,
          help: 'Writes dropped because they would have added a label set to a metric already at its limit, by metric.',
          labelNames: ['metric'],
          registers: [this.registry],
        }),
    );
    this.#rejected = this.#register(
      `${prefix}vigil_metrics_rejected_samples_total`,
      (name) =>
        new Counter({
          name,
          help: 'Writes refused as invalid (unknown label, value not a finite number, negative counter increment), by metric.',
          labelNames: ['metric'],
          registers: [this.registry],
        }),
    );
    if (processMetrics !== false) {
      const settings = processMetrics === true ? {} : processMetrics;
      this.#register('process metrics', () =>
        collectDefaultMetrics({ ...settings, register: this.registry, ...(prefix === '' ? {} : { prefix }) }),
      );
      dropTotalGauges(this.registry, prefix);
    }
    this.http = createHttpFamilies(this);
    this.agent = new AgentMetrics(this);
    defaultMetrics ??= this;
  }

  /** Creates and registers a counter (name ending in `_total`) with the label-set limit. */
  counter<L extends string = never>(config: MetricConfig<L>): BoundedCounter<L> {
    const { name, labelNames } = this.#named(config);
    const metric = this.#register(
      name,
      () => new Counter<L>({ ...config, name, labelNames, registers: [this.registry] }),
    );
    return new BoundedCounter(metric, name, labelNames, this.maxSeriesPerMetric, this.#events);
  }

  /** Creates and registers a gauge with the label-set limit. */
  gauge<L extends string = never>(config: MetricConfig<L>): BoundedGauge<L> {
    const { name, labelNames } = this.#named(config);
    const metric = this.#register(
      name,
      () => new Gauge<L>({ ...config, name, labelNames, registers: [this.registry] }),
    );
    return new BoundedGauge(metric, name, labelNames, this.maxSeriesPerMetric, this.#events);
  }

  /** Creates and registers a histogram with the label-set limit. */
  histogram<L extends string = never>(config: HistogramConfig<L>): BoundedHistogram<L> {
    const { name, labelNames } = this.#named(config);
    const buckets = [...config.buckets];
    const metric = this.#register(
      name,
      () => new Histogram<L>({ ...config, name, labelNames, buckets, registers: [this.registry] }),
    );
    return new BoundedHistogram(metric, name, labelNames, buckets, this.maxSeriesPerMetric, this.#events);
  }

  #named<L extends string>(config: MetricConfig<L>): { name: string; labelNames: L[] } {
    if (typeof config?.name !== 'string' || !NAME.test(config.name)) {
      throw new VigilError('VIGIL_BAD_OPTION', `metric name "${config?.name}" is not a valid Prometheus name`);
    }
    if (typeof config.help !== 'string' || config.help === '') {
      throw new VigilError('VIGIL_BAD_OPTION', `metric ${config.name}: "help" must be a non-empty string`);
    }
    return { name: `${this.prefix}${config.name}`, labelNames: [...(config.labelNames ?? [])] };
  }

  /** Registers through prom-client, turning its errors (duplicate name, bad label) into a VigilError naming the metric. */
  #register<T>(name: string, create: (name: string) => T): T {
    try {
      return create(name);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      const hint = /already been registered/.test(reason)
        ? 'the registry already holds it (createMetrics called twice on one registry? use `prefix`, or `defaultMetrics: false` when process metrics are already collected)'
        : reason;
      throw new VigilError('VIGIL_BAD_OPTION', `cannot register ${name}: ${hint}`, { cause });
    }
  }

  #warnOnce(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    // Resolved late: taking the SDK default at construction would make it before the app's own createLogger().
    this.#log ??= (this.#logger ?? getLogger()).module('metrics');
    this.#log.warning(fields, message);
  }
}

/** Creates Vigil's metrics; the first one created becomes the default that middleware uses (see `getMetrics`). */
export function createMetrics(options?: MetricsOptions): Metrics {
  return new Metrics(options);
}

/** The default metrics (the first created, else a new one with default options), used by middleware given none. */
export function getMetrics(): Metrics {
  defaultMetrics ??= new Metrics();
  return defaultMetrics;
}

/** Makes `metrics` the default that middleware and recorders use. */
export function setDefaultMetrics(metrics: Metrics): void {
  defaultMetrics = metrics;
}

/**
 * prom-client adds `nodejs_active_{handles,requests,resources}_total` gauges beside the per-type
 * `nodejs_active_*{type}` gauges. `promtool check metrics` rejects a `_total` gauge (the suffix
 * means a counter), so drop them: `sum(nodejs_active_handles)` gives the same number.
 */
function dropTotalGauges(registry: AnyRegistry, prefix: string): void {
  for (const what of ['handles', 'requests', 'resources']) {
    const name = `${prefix}nodejs_active_${what}_total`;
    if (registry.getSingleMetric(name) !== undefined) registry.removeSingleMetric(name);
  }
}
