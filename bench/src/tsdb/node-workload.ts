// A fleet of node-exporter-like targets: ~400 series per node with node_exporter's metric names and labels,
// and values shaped as node_exporter reports them (CPU seconds in 1/100 s ticks, byte counters, page-sized
// memory gauges, load averages with two decimals, constant info/size series, the exporter's Go runtime).
// The value shapes are those of packages/tsdb/test/support/chunks-bytes-per-sample.ts.

/** A deterministic PRNG (mulberry32), so every run and every process sees the same values. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** One series of a node: its metric, labels (without the target's), type, and its next value for a step in ms. */
export interface NodeSeries {
  name: string;
  labels: Record<string, string>;
  type: 'counter' | 'gauge';
  next: (stepMs: number) => number;
}

/** The series of one node, values seeded by `rand`. */
export function nodeSeries(rand: () => number): NodeSeries[] {
  const out: NodeSeries[] = [];
  // Counters count integer units (ticks, bytes, packets); a seconds counter divides ticks by USER_HZ as
  // node_exporter does (ticks / 100), so its values are the doubles nearest to two-decimal numbers.
  const counter = (name: string, labels: Record<string, string>, rate: () => number, perSecond = 1) => {
    let units = Math.floor(rand() * 1e9);
    out.push({
      name,
      labels,
      type: 'counter',
      next: () => {
        units += rate();
        return units / perSecond;
      },
    });
  };
  const gauge = (name: string, labels: Record<string, string>, start: number, step: () => number) => {
    let v = start;
    out.push({ name, labels, type: 'gauge', next: () => (v += step()) });
  };
  const constant = (name: string, labels: Record<string, string>, v: number) =>
    out.push({ name, labels, type: 'gauge', next: () => v });
  const shares: Record<string, number> = { idle: 0.8, user: 0.1, system: 0.05, iowait: 0.02, irq: 0.005 };
  for (let cpu = 0; cpu < 8; cpu++) {
    for (const mode of ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'nice', 'steal']) {
      const share = shares[mode] ?? 0.001;
      counter(
        'node_cpu_seconds_total',
        { cpu: String(cpu), mode },
        () => (rand() < 0.3 && share < 0.01 ? 0 : Math.round(1500 * share * (0.5 + rand()))),
        100,
      );
    }
    gauge('node_cpu_scaling_frequency_hertz', { cpu: String(cpu) }, 2.4e9, () =>
      rand() < 0.2 ? (Math.floor(rand() * 8) - 4) * 1e8 : 0,
    );
  }
  for (let i = 0; i < 45; i++) {
    const name = `node_memory_${MEMORY[i % MEMORY.length]}${i >= MEMORY.length ? `_${i}` : ''}_bytes`;
    const pages = () => (rand() < 0.6 ? 0 : Math.floor((rand() - 0.5) * 200) * 4096);
    if (i < 15) constant(name, {}, Math.floor(rand() * 4e6) * 4096);
    else gauge(name, {}, Math.floor(rand() * 4e6) * 4096, pages);
  }
  for (const device of ['eth0', 'lo', 'docker0']) {
    for (let i = 0; i < 16; i++) {
      const name = `node_network_${NETWORK[i]}_total`;
      if (i < 4) counter(name, { device }, () => Math.floor(rand() * 2e6));
      else if (i < 8) counter(name, { device }, () => Math.floor(rand() * 2e3));
      else counter(name, { device }, () => (rand() < 0.98 ? 0 : 1));
    }
  }
  for (const device of ['sda', 'sdb', 'nvme0n1']) {
    for (let i = 0; i < 17; i++) {
      const busy = device === 'nvme0n1';
      counter(`node_disk_${DISK[i]}_total`, { device }, () =>
        busy || rand() < 0.2 ? Math.floor(rand() * 500) * (i < 4 ? 512 : 1) : 0,
      );
    }
  }
  for (let fs = 0; fs < 6; fs++) {
    const labels = { device: `/dev/sd${'abcdef'[fs]}1`, fstype: 'ext4', mountpoint: `/mnt/${fs}` };
    constant('node_filesystem_size_bytes', labels, Math.floor(rand() * 1e8) * 4096);
    constant('node_filesystem_files', labels, Math.floor(rand() * 1e7));
    gauge('node_filesystem_avail_bytes', labels, Math.floor(rand() * 1e8) * 4096, () =>
      rand() < 0.5 ? 0 : -Math.floor(rand() * 50) * 4096,
    );
    gauge('node_filesystem_free_bytes', labels, Math.floor(rand() * 1e8) * 4096, () =>
      rand() < 0.5 ? 0 : -Math.floor(rand() * 50) * 4096,
    );
    gauge('node_filesystem_files_free', labels, Math.floor(rand() * 1e7), () =>
      rand() < 0.5 ? 0 : -Math.floor(rand() * 5),
    );
    constant('node_filesystem_readonly', labels, 0);
  }
  for (const n of [1, 5, 15]) {
    let load = 0.5;
    out.push({
      name: `node_load${n}`,
      labels: {},
      type: 'gauge',
      next: () => (load = Math.max(0, Math.round((load + (rand() - 0.5) * (0.3 / n)) * 100) / 100)),
    });
  }
  let time = 1.7e9 + rand();
  out.push({ name: 'node_time_seconds', labels: {}, type: 'gauge', next: (step) => (time += step / 1000) });
  for (let i = 0; i < 20; i++) counter(`node_vmstat_${i}`, {}, () => Math.floor(rand() * (i < 10 ? 1e4 : 10)));
  for (let i = 0; i < 60; i++) constant('node_scrape_collector_success', { collector: `c${i}` }, i % 3 === 0 ? 0 : 1);
  for (let i = 0; i < 30; i++) {
    if (i < 10) gauge(`go_memstats_${i}_bytes`, {}, 5e6, () => Math.floor((rand() - 0.5) * 1e5));
    else if (i < 20) counter(`go_memstats_${i}_total`, {}, () => Math.floor(rand() * 1e6));
    else {
      // GC pauses are measured in integer nanoseconds and reported in seconds (ns / 1e9).
      let ns = Math.floor(1e6 + rand() * 1e7);
      out.push({
        name: 'go_gc_duration_seconds',
        labels: { quantile: String(i - 20) },
        type: 'gauge',
        next: () => {
          ns = Math.max(0, ns + Math.round((rand() - 0.5) * 1e5));
          return ns / 1e9;
        },
      });
    }
  }
  for (let i = 0; i < 40; i++) counter('node_scrape_collector_calls_total', { collector: `c${i}` }, () => 1);
  // Grouped by metric name, as an exposition lists them (the sort is stable: label order stays).
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const MEMORY = [
  'MemTotal',
  'MemFree',
  'MemAvailable',
  'Buffers',
  'Cached',
  'SwapTotal',
  'SwapFree',
  'Active',
  'Inactive',
];
const NETWORK = [
  'receive_bytes',
  'transmit_bytes',
  'receive_packets',
  'transmit_packets',
  'receive_multicast',
  'transmit_multicast',
  'receive_compressed',
  'transmit_compressed',
  'receive_errs',
  'transmit_errs',
  'receive_drop',
  'transmit_drop',
  'receive_fifo',
  'transmit_fifo',
  'receive_frame',
  'transmit_colls',
];
const DISK = [
  'read_bytes',
  'written_bytes',
  'discarded_sectors',
  'reads_completed',
  'writes_completed',
  'reads_merged',
  'writes_merged',
  'io_time_seconds',
  'io_time_weighted_seconds',
  'read_time_seconds',
  'write_time_seconds',
  'discards_completed',
  'discards_merged',
  'discard_time_seconds',
  'flush_requests',
  'flush_requests_time_seconds',
  'io_now',
];

/** One node's series with its target labels, as a scrape would store them. */
export function targetLabels(node: number, series: NodeSeries): Record<string, string> {
  return { __name__: series.name, ...series.labels, instance: `node-${node}:9100`, job: 'node' };
}

/** The node's current values as a Prometheus text exposition (HELP/TYPE per family, as node_exporter writes). */
export function exposition(series: readonly NodeSeries[], values: Float64Array): string {
  const lines: string[] = [];
  let family = '';
  series.forEach((s, i) => {
    if (s.name !== family) {
      family = s.name;
      lines.push(`# HELP ${s.name} ${s.name.replace(/_/g, ' ')}.`, `# TYPE ${s.name} ${s.type}`);
    }
    const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`);
    lines.push(`${s.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${values[i]}`);
  });
  return `${lines.join('\n')}\n`;
}
