import { styleText } from 'node:util';
import type { ComponentStatus, DetailedHealth } from '@vigil/sdk/health';

/** Exit code of `vigil health`: 0 ok, 1 degraded, 2 down. */
export function exitCodeOf(status: ComponentStatus): number {
  return status === 'ok' ? 0 : status === 'degraded' ? 1 : 2;
}

const COLOURS = { ok: 'green', degraded: 'yellow', down: 'red' } as const;

/** The detailed health as a plain-text table; status words coloured when `colour` is true. */
export function healthTable(health: DetailedHealth, colour: boolean): string {
  const paint = (status: ComponentStatus) => (colour ? styleText(COLOURS[status], status) : status);
  const s = health.system;
  const lag = health.event_loop;
  const lines = [
    `${health.service ?? 'service'} ${health.version ?? ''}`.trim(),
    `status     ${paint(health.status)}${health.draining ? ' (draining)' : ''}`,
    ...health.reasons.map((reason) => `           - ${reason}`),
    `uptime     ${duration(health.uptime_seconds)}`,
    `cpu        ${s.cpu_percent}%   rss ${bytes(s.rss_bytes)}   heap ${bytes(s.heap_used_bytes)}/${bytes(s.heap_total_bytes)}`,
    `host       load ${s.load_average.join(' ')}   free memory ${bytes(s.free_memory_bytes)}/${bytes(s.total_memory_bytes)}`,
    s.disk === null
      ? 'disk       -'
      : `disk       ${s.disk.used_percent}% used of ${bytes(s.disk.total_bytes)} (${s.disk.path})`,
    `event loop p50 ${lag.p50_ms} ms   p99 ${lag.p99_ms} ms   max ${lag.max_ms} ms   stalls ${lag.stalls}`,
    health.workers === null
      ? 'workers    -'
      : `workers    ${health.workers.active}/${health.workers.max_workers} busy, ${health.workers.queued} queued, ${health.workers.rejected} rejected`,
  ];
  if (health.components.length > 0) {
    const rows = health.components.map((c) => [
      c.name,
      c.kind,
      c.critical ? 'yes' : 'no',
      c.status,
      `${c.latency_ms} ms`,
      c.last_error ?? '',
    ]);
    const header = ['COMPONENT', 'KIND', 'CRITICAL', 'STATUS', 'LATENCY', 'LAST ERROR'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const pad = (cells: string[], paintStatus: boolean) =>
      cells
        .map((cell, i) => {
          const padded = cell.padEnd(widths[i]!);
          return paintStatus && i === 3 ? padded.replace(cell, paint(cell as ComponentStatus)) : padded;
        })
        .join('  ')
        .trimEnd();
    lines.push('', pad(header, false), ...rows.map((row) => pad(row, true)));
  }
  return `${lines.join('\n')}\n`;
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function duration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', `${s}s`].filter(Boolean).join(' ');
}
