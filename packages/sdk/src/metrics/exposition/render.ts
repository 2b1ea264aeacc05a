import { Registry, type RegistryContentType } from 'prom-client';
import type { ExpositionFormat } from './negotiate.js';

/** What prom-client's registry serializer reads from a metric: `get()` and nothing else. */
interface Snapshot {
  get(): Promise<{ name: string; type: string }>;
}

/** The registry members rendering uses; `getMetricsAsString` is public in prom-client's JS though missing from its types. */
interface Renderable {
  getMetricsAsArray(): { name: string; type: string }[];
  getSingleMetric(name: string): unknown;
  getMetricsAsString(metric: Snapshot): Promise<string>;
  readonly contentType: RegistryContentType;
}

type Collectable = { name: string; type: string; get(): Promise<unknown>; getForPromString?(): Promise<unknown> };

const views = new WeakMap<object, Partial<Record<ExpositionFormat, Renderable>>>();

/**
 * The registry's exposition in `format`, whichever content type the registry was made with.
 *
 * prom-client ties the text format to the registry, and its `metrics()` in OpenMetrics mode
 * strips `_total` from counter names in place, so one registry cannot serve both formats
 * through it (prometheus/client_js#829). Here each format renders through a view of the same
 * registry — same metrics, same default labels, its own content type — and each counter's
 * family name is worked out per render, so no metric is ever changed.
 */
export async function renderMetrics(
  registry: Registry<RegistryContentType>,
  format: ExpositionFormat,
): Promise<string> {
  const view = viewOf(registry, format);
  const openMetrics = format === 'openmetrics';
  const families = await Promise.all(
    view
      .getMetricsAsArray()
      .map((metric) => view.getMetricsAsString(renamed(metric as Collectable, familyName(view, metric, openMetrics)))),
  );
  if (openMetrics) return `${families.join('\n')}${families.length > 0 ? '\n' : ''}# EOF\n`;
  return families.length > 0 ? `${families.join('\n\n')}\n` : '';
}

/** The registry itself when it already renders `format`, else a view that differs only in content type. */
function viewOf(registry: Registry<RegistryContentType>, format: ExpositionFormat): Renderable {
  const contentType = format === 'openmetrics' ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE;
  const own = registry as unknown as Renderable;
  if (own.contentType === contentType) return own;
  let byFormat = views.get(registry);
  if (byFormat === undefined) {
    byFormat = {};
    views.set(registry, byFormat);
  }
  byFormat[format] ??= Object.create(registry, { contentType: { value: contentType } }) as Renderable;
  return byFormat[format];
}

/**
 * A counter's family name in this format: OpenMetrics names the family without `_total`
 * (its samples keep it); Prometheus text keeps `_total`, restored when a prom-client
 * OpenMetrics render has already stripped it from the metric.
 */
function familyName(registry: Renderable, metric: { name: string; type: string }, openMetrics: boolean): string {
  const { name } = metric;
  if (metric.type !== 'counter') return name;
  if (openMetrics) return name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
  if (!name.endsWith('_total') && registry.getSingleMetric(`${name}_total`) === metric) return `${name}_total`;
  return name;
}

/** The metric's current values under `name`, read the way prom-client's serializer would. */
function renamed(metric: Collectable, name: string): Snapshot {
  return {
    get: async () => {
      const data = (await (metric.getForPromString?.() ?? metric.get())) as { name: string; type: string };
      return { ...data, name };
    },
  };
}

/** The registry's metrics as JSON (prom-client's `getMetricsAsJSON`), for admin views. */
export async function renderMetricsJson(registry: Registry<RegistryContentType>): Promise<string> {
  return JSON.stringify(await registry.getMetricsAsJSON());
}
