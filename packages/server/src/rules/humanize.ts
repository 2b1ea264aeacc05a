// Prometheus's template functions humanize, humanize1024, humanizeDuration and humanizePercentage.

import { goG } from './go-format.js';

const BIG = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SMALL = ['', 'm', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

/** `1234567` → `1.235M`, `0.0012` → `1.2m` (SI prefixes, 4 significant digits). */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return goG(v, 4);
  let x = v;
  let i = 0;
  if (Math.abs(x) >= 1) {
    while (Math.abs(x) >= 1000 && i < BIG.length - 1) {
      x /= 1000;
      i++;
    }
    return goG(x, 4) + BIG[i];
  }
  while (Math.abs(x) < 1 && i < SMALL.length - 1) {
    x *= 1000;
    i++;
  }
  return goG(x, 4) + SMALL[i];
}

/** `1048576` → `1Mi` (binary prefixes). */
export function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return goG(v, 4);
  const prefixes = ['', 'ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'];
  let x = v;
  let i = 0;
  while (Math.abs(x) >= 1024 && i < prefixes.length - 1) {
    x /= 1024;
    i++;
  }
  return goG(x, 4) + prefixes[i];
}

/** Seconds as `1d 2h 3m 4s`, `1m 5s`, `12.35s`, `250ms`. */
export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return goG(v, 4);
  if (v === 0) return '0s';
  const sign = v < 0 ? '-' : '';
  const abs = Math.abs(v);
  if (abs >= 1) {
    const total = Math.trunc(abs);
    const days = Math.trunc(total / 86_400);
    const hours = Math.trunc(total / 3600) % 24;
    const minutes = Math.trunc(total / 60) % 60;
    const seconds = total % 60;
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${goG(abs, 4)}s`;
  }
  let x = abs;
  let i = 0;
  const units = ['', 'm', 'u', 'n'];
  while (x < 1 && i < units.length - 1) {
    x *= 1000;
    i++;
  }
  return `${sign}${goG(x, 4)}${units[i]}s`;
}

/** `0.1234` → `12.34%`. */
export function humanizePercentage(v: number): string {
  return `${goG(v * 100, 4)}%`;
}
