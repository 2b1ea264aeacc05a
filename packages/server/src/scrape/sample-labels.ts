import type { Label } from '@vigil/tsdb';
import type { ScrapeLimits, ScrapeTarget } from './target.js';

/** Why a sample's labels break a limit; the scrape fails whole with this message. */
export class LabelLimitExceeded extends Error {
  override name = 'LabelLimitExceeded';
}

const utf8 = new TextEncoder();

/**
 * The labels a scraped sample is stored under, as Prometheus builds them: the target's labels
 * are attached; with honor_labels false a clashing scraped label is kept as `exported_<name>`,
 * with honor_labels true the scraped value wins; then metric_relabel_configs; empty values are
 * dropped. Undefined when relabeling dropped the sample. Throws LabelLimitExceeded.
 */
export function sampleLabels(target: ScrapeTarget, name: string, scraped: readonly Label[]): Label[] | undefined {
  const labels = new Map<string, string>();
  labels.set('__name__', name);
  for (const l of scraped) labels.set(l.name, l.value);
  for (const t of target.labels) {
    const existing = labels.get(t.name);
    if (existing === undefined || existing === '') {
      labels.set(t.name, t.value);
    } else if (!target.honorLabels) {
      let exported = `exported_${t.name}`;
      while (labels.has(exported)) exported = `exported_${exported}`;
      labels.set(exported, existing);
      labels.set(t.name, t.value);
    }
  }
  let out: Label[] = [];
  for (const [n, v] of labels) if (v !== '') out.push({ name: n, value: v });
  out.sort(byName);
  if (target.metricRelabel) {
    const relabeled = target.metricRelabel(out);
    if (relabeled === undefined) return undefined;
    out = relabeled.filter((l) => l.value !== '').sort(byName);
  }
  checkLabelLimits(out, target.limits);
  return out;
}

/** Throws LabelLimitExceeded when `labels` break label_limit or a length limit. */
export function checkLabelLimits(labels: readonly Label[], limits: ScrapeLimits): void {
  if (limits.labelLimit > 0 && labels.length > limits.labelLimit) {
    throw new LabelLimitExceeded(
      `label_limit exceeded: ${seriesText(labels)} has ${labels.length} labels, limit ${limits.labelLimit}`,
    );
  }
  if (limits.labelNameLengthLimit === 0 && limits.labelValueLengthLimit === 0) return;
  for (const l of labels) {
    if (limits.labelNameLengthLimit > 0 && utf8.encode(l.name).length > limits.labelNameLengthLimit) {
      throw new LabelLimitExceeded(
        `label_name_length_limit exceeded: label name "${l.name}" is longer than ${limits.labelNameLengthLimit} bytes`,
      );
    }
    if (limits.labelValueLengthLimit > 0 && utf8.encode(l.value).length > limits.labelValueLengthLimit) {
      throw new LabelLimitExceeded(
        `label_value_length_limit exceeded: the value of label "${l.name}" is longer than ${limits.labelValueLengthLimit} bytes`,
      );
    }
  }
}

function seriesText(labels: readonly Label[]): string {
  const name = labels.find((l) => l.name === '__name__')?.value ?? '';
  return name === '' ? 'a series' : `series ${name}`;
}

function byName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
