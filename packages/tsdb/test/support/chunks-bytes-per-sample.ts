// Measures bytes per sample of the XOR chunk on a node-exporter-like workload (not a test: run it with
// `node packages/tsdb/dist/test/support/chunks-bytes-per-sample.js` after `tsc -b packages/tsdb`).
// Values mimic what node_exporter reports: CPU seconds in 1/100 s ticks, byte counters, page-sized memory
// gauges, load averages with two decimals, constant info/size series, the exporter's own Go runtime gauges.
import { HeadChunks } from '../../src/chunks/head-chunks.js';
import { encodeChunk } from '../../src/chunks/serialize.js';
import type { XorChunk } from '../../src/chunks/xor-chunk.js';
import { seeded } from './chunks-samples.js';

type Next = (step: number) => number;

function workload(rand: () => number): { name: string; next: Next }[] {
  const series: { name: string; next: Next }[] = [];
  const add = (name: string, next: Next) => series.push({ name, next });
  const counter = (name: string, rate: () => number, unit = 1) => {
    let v = Math.floor(rand() * 1e9) * unit;
    add(name, () => (v = Math.round((v + rate() * unit) / unit) * unit));
  };
  const gauge = (name: string, start: number, step: () => number) => {
    let v = start;
    add(name, () => (v += step()));
  };
  const constant = (name: string, v: number) => add(name, () => v);
  for (let cpu = 0; cpu < 8; cpu++) {
    const shares: Record<string, number> = { idle: 0.8, user: 0.1, system: 0.05, iowait: 0.02, irq: 0.005 };
    for (const mode of ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'nice', 'steal']) {
      const share = shares[mode] ?? 0.001;
      // Seconds in USER_HZ ticks: 15 s × 100 ticks/s × share, with noise; zero for steal/nice often.
      counter(
        `cpu${cpu}/${mode}`,
        () => (rand() < 0.3 && share < 0.01 ? 0 : Math.round(1500 * share * (0.5 + rand()))),
        0.01,
      );
    }
    gauge(`cpu${cpu}/scaling_frequency_hertz`, 2.4e9, () => (rand() < 0.2 ? (Math.floor(rand() * 8) - 4) * 1e8 : 0));
  }
  for (let i = 0; i < 45; i++) {
    const pages = () => (rand() < 0.6 ? 0 : Math.floor((rand() - 0.5) * 200) * 4096);
    if (i < 15) constant(`memory/${i}`, Math.floor(rand() * 4e6) * 4096);
    else gauge(`memory/${i}`, Math.floor(rand() * 4e6) * 4096, pages);
  }
  for (const dev of ['eth0', 'lo', 'docker0']) {
    for (let i = 0; i < 16; i++) {
      if (i < 4) counter(`net/${dev}/${i}`, () => Math.floor(rand() * 2e6));
      else if (i < 8) counter(`net/${dev}/${i}`, () => Math.floor(rand() * 2e3));
      else counter(`net/${dev}/${i}`, () => (rand() < 0.98 ? 0 : 1));
    }
  }
  for (const dev of ['sda', 'sdb', 'nvme0n1']) {
    for (let i = 0; i < 17; i++) {
      const busy = dev === 'nvme0n1';
      counter(`disk/${dev}/${i}`, () => (busy || rand() < 0.2 ? Math.floor(rand() * 500) * (i < 4 ? 512 : 1) : 0));
    }
  }
  for (let fs = 0; fs < 6; fs++) {
    constant(`fs/${fs}/size_bytes`, Math.floor(rand() * 1e8) * 4096);
    constant(`fs/${fs}/files`, Math.floor(rand() * 1e7));
    gauge(`fs/${fs}/avail_bytes`, Math.floor(rand() * 1e8) * 4096, () =>
      rand() < 0.5 ? 0 : -Math.floor(rand() * 50) * 4096,
    );
    gauge(`fs/${fs}/free_bytes`, Math.floor(rand() * 1e8) * 4096, () =>
      rand() < 0.5 ? 0 : -Math.floor(rand() * 50) * 4096,
    );
    gauge(`fs/${fs}/files_free`, Math.floor(rand() * 1e7), () => (rand() < 0.5 ? 0 : -Math.floor(rand() * 5)));
    constant(`fs/${fs}/readonly`, 0);
  }
  for (const n of [1, 5, 15]) {
    let load = 0.5;
    add(`load${n}`, () => (load = Math.max(0, Math.round((load + (rand() - 0.5) * (0.3 / n)) * 100) / 100)));
  }
  let time = 1.7e9 + rand();
  add('time_seconds', (step) => (time += step / 1000 + (rand() - 0.5) * 0.002));
  for (let i = 0; i < 20; i++) counter(`vmstat/${i}`, () => Math.floor(rand() * (i < 10 ? 1e4 : 10)));
  for (let i = 0; i < 60; i++) constant(`info_or_flag/${i}`, i % 3 === 0 ? 0 : 1);
  for (let i = 0; i < 30; i++) {
    if (i < 10) gauge(`go/${i}`, 5e6, () => Math.floor((rand() - 0.5) * 1e5));
    else if (i < 20) counter(`go/${i}`, () => Math.floor(rand() * 1e6));
    else gauge(`go/${i}`, 0.001 + rand() * 0.01, () => (rand() - 0.5) * 1e-4);
  }
  for (let i = 0; i < 40; i++) counter(`scrape_collector/${i}`, () => 1);
  return series;
}

function measure(label: string, jitter: (rand: () => number) => number): void {
  const rand = seeded(2026);
  const series = workload(rand);
  const blobs: Buffer[] = [];
  const head = new HeadChunks({ onCut: (_id, chunk) => blobs.push(encodeChunk(chunk)) });
  const T0 = Date.UTC(2026, 10, 23);
  const scrapes = 4 * 120 * 6; // 24 chunks of 120 samples per series: two hours... of 15 s scrapes × 12
  let samples = 0;
  let prev = T0;
  for (let s = 0; s < scrapes; s++) {
    const t = s === 0 ? T0 : T0 + s * 15_000 + jitter(rand);
    const step = t - prev;
    prev = t;
    for (let id = 0; id < series.length; id++) {
      head.append(id, t, series[id]!.next(step));
      samples++;
    }
  }
  const open: XorChunk[] = [];
  for (const [, chunk] of head.entries()) open.push(chunk);
  for (const chunk of open) blobs.push(encodeChunk(chunk));
  const bytes = blobs.reduce((n, b) => n + b.length, 0);
  console.log(
    `${label}: ${series.length} series × ${scrapes} scrapes = ${samples} samples in ${blobs.length} chunks, ` +
      `${bytes} bytes serialized → ${(bytes / samples).toFixed(3)} B/sample`,
  );
}

measure('node-exporter-like, aligned 15 s scrapes', () => 0);
measure('node-exporter-like, 10% of scrapes off by 1-20 ms', (rand) =>
  rand() < 0.1 ? Math.floor(rand() * 40) - 20 : 0,
);
measure('node-exporter-like, every scrape off by 0-5 ms', (rand) => Math.floor(rand() * 6));
