// Reads Prometheus's promqltest files: `load` blocks in series notation, `eval` commands and their expectations.

/** A series of a load block or an expected result. */
export interface SeriesLine {
  labels: Record<string, string>;
  /**
   * One entry per step; undefined is a missing sample, 'stale' a stale marker. The marker stays a word until it is
   * stored: V8 turns a NaN kept in an array of numbers into the plain NaN, losing the stale bits.
   */
  values: SampleValue[];
  /** The line holds native-histogram samples ({{...}}). */
  histogram: boolean;
}

/** A `load` block. */
export interface LoadCommand {
  kind: 'load';
  line: number;
  intervalMs: number;
  /** load_with_nhcb: classic histograms are also loaded as native histograms with custom buckets. */
  nhcb: boolean;
  series: SeriesLine[];
}

/** An `eval` command with what it expects. */
export interface EvalCommand {
  kind: 'eval';
  line: number;
  expr: string;
  range: { start: number; end: number; step: number } | undefined;
  at: number;
  fail: boolean;
  failMessage: string | undefined;
  failRegex: RegExp | undefined;
  ordered: boolean;
  expected: SeriesLine[];
  scalar: number | undefined;
  string: string | undefined;
  /** `expect range vector from .. to .. step`: an instant query returning a matrix. */
  matrix: { start: number; step: number } | undefined;
  histogram: boolean;
  /** `expect warn|info [msg: ...|regex: ...]` (true: at least one) and `expect no_warn|no_info`. */
  warn: (string | RegExp | true)[];
  info: (string | RegExp | true)[];
  noWarn: boolean;
  noInfo: boolean;
}

/** A value in series notation. */
export type SampleValue = number | undefined | 'stale';

export type Command = LoadCommand | EvalCommand | { kind: 'clear'; line: number };

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

/** A duration (`5m`, `1h30m`, `10s53ms`) or a number of seconds, in ms. */
export function durationMs(text: string): number {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  let ms = 0;
  let rest = text;
  while (rest !== '') {
    const m = /^(\d+)(ms|s|m|h|d|w|y)/.exec(rest);
    if (!m) throw new Error(`bad duration ${text}`);
    ms += Number(m[1]) * UNITS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return ms;
}

function number(text: string): number {
  const t = text.toLowerCase();
  if (t === 'inf' || t === '+inf') return Number.POSITIVE_INFINITY;
  if (t === '-inf') return Number.NEGATIVE_INFINITY;
  if (t === 'nan' || t === '+nan' || t === '-nan') return Number.NaN;
  const v = Number(text);
  if (Number.isNaN(v)) throw new Error(`bad number ${text}`);
  return v;
}

/** Expands series notation: `1 2 _ 3`, `1+2x3`, `5x2`, `_x3`, `stale`, `Inf`. */
export function expandValues(items: string[]): SampleValue[] {
  const out: SampleValue[] = [];
  for (const item of items) {
    if (item === '_') {
      out.push(undefined);
      continue;
    }
    if (item.toLowerCase() === 'stale') {
      out.push('stale');
      continue;
    }
    let m = /^_x(\d+)$/.exec(item);
    if (m) {
      for (let i = 0; i < Number(m[1]); i++) out.push(undefined);
      continue;
    }
    m = /^([-+]?(?:[\d.]+(?:e[-+]?\d+)?|inf|nan))([-+](?:[\d.]+(?:e[-+]?\d+)?|inf|nan))x(\d+)$/i.exec(item);
    if (m) {
      let cur = number(m[1]!);
      const inc = number(m[2]!);
      for (let i = 0; i <= Number(m[3]); i++) {
        out.push(cur);
        cur += inc;
      }
      continue;
    }
    m = /^(.+)x(\d+)$/.exec(item);
    if (m && m[1] !== undefined) {
      const v = number(m[1]);
      for (let i = 0; i <= Number(m[2]); i++) out.push(v);
      continue;
    }
    out.push(number(item));
  }
  return out;
}

function unquote(s: string): string {
  return JSON.parse(s.startsWith("'") ? `"${s.slice(1, -1).replace(/"/g, '\\"')}"` : s);
}

/** Parses `name{a="b"} rest` into labels and the rest of the line. */
export function parseSeriesHead(text: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 0;
  const name = /^[A-Za-z_:][\w:]*/.exec(text);
  if (name) {
    labels.__name__ = name[0];
    i = name[0].length;
  }
  if (text[i] === '{') {
    i++;
    for (;;) {
      while (text[i] === ' ' || text[i] === ',') i++;
      if (text[i] === '}') {
        i++;
        break;
      }
      let key: string;
      const q = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (q) {
        key = unquote(q[0]);
        i += q[0].length;
      } else {
        const id = /^[A-Za-z_][\w]*/.exec(text.slice(i));
        if (!id) throw new Error(`bad labels in ${text}`);
        key = id[0];
        i += key.length;
      }
      while (text[i] === ' ') i++;
      if (text[i] !== '=') {
        // A lone quoted name is the metric name: {"metric.name"}.
        labels.__name__ = key;
        continue;
      }
      i++;
      while (text[i] === ' ') i++;
      const v = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!v) throw new Error(`bad label value in ${text}`);
      labels[key] = unquote(v[0]);
      i += v[0].length;
    }
  }
  return { labels, rest: text.slice(i).trim() };
}

function seriesLine(text: string): SeriesLine {
  const histogram = text.includes('{{');
  const { labels, rest } = parseSeriesHead(text);
  // Native-histogram samples become gaps: the float samples of the line still load.
  const floatsOnly = rest.replace(/\{\{[^}]*\}\}(?:[-+]\{\{[^}]*\}\})?(?:x(\d+))?/g, (_, n: string | undefined) =>
    n === undefined ? '_' : `_x${Number(n) + 1}`,
  );
  return { labels, values: expandValues(floatsOnly.split(/\s+/).filter((x) => x !== '')), histogram };
}

/** Parses a promqltest file into commands (line numbers are 1-based). */
export function parseTestFile(text: string): Command[] {
  const lines = text.split('\n');
  const out: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const block: string[] = [];
    const collect = () => {
      while (i + 1 < lines.length && lines[i + 1]!.trim() !== '' && !/^(eval|load|clear)\b/.test(lines[i + 1]!)) {
        i++;
        if (!lines[i]!.trim().startsWith('#')) block.push(lines[i]!.trim());
      }
    };
    const lineNo = i + 1;
    if (line === 'clear') {
      out.push({ kind: 'clear', line: lineNo });
      continue;
    }
    let m = /^load(_with_nhcb)?\s+(\S+)$/.exec(line);
    if (m) {
      collect();
      out.push({
        kind: 'load',
        line: lineNo,
        intervalMs: durationMs(m[2]!),
        nhcb: m[1] !== undefined,
        series: block.map(seriesLine),
      });
      continue;
    }
    m =
      /^(eval(?:_fail|_ordered)?)\s+(instant\s+at\s+(\S+)|range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+))\s+(.*)$/.exec(
        line,
      );
    if (!m) throw new Error(`line ${lineNo}: cannot read "${line}"`);
    collect();
    const cmd: EvalCommand = {
      kind: 'eval',
      line: lineNo,
      expr: m[7]!,
      range:
        m[4] !== undefined ? { start: durationMs(m[4]), end: durationMs(m[5]!), step: durationMs(m[6]!) } : undefined,
      at: m[3] !== undefined ? durationMs(m[3]) : 0,
      fail: m[1] === 'eval_fail',
      failMessage: undefined,
      failRegex: undefined,
      ordered: m[1] === 'eval_ordered',
      expected: [],
      scalar: undefined,
      string: undefined,
      matrix: undefined,
      histogram: false,
      warn: [],
      info: [],
      noWarn: false,
      noInfo: false,
    };
    for (const b of block) readExpectation(cmd, b);
    out.push(cmd);
  }
  return out;
}

function readExpectation(cmd: EvalCommand, b: string): void {
  let m = /^expect\s+fail(?:\s+(msg|regex):\s*(.*))?$/.exec(b);
  if (m) {
    cmd.fail = true;
    if (m[1] === 'msg') cmd.failMessage = m[2]!.trim();
    if (m[1] === 'regex') cmd.failRegex = new RegExp(m[2]!.trim());
    return;
  }
  m = /^expected_fail_(message|regexp)\s+(.*)$/.exec(b);
  if (m) {
    if (m[1] === 'message') cmd.failMessage = m[2]!.trim();
    else cmd.failRegex = new RegExp(m[2]!.trim());
    return;
  }
  if (b === 'expect ordered') {
    cmd.ordered = true;
    return;
  }
  m = /^expect\s+string\s+(.*)$/.exec(b);
  if (m) {
    const s = m[1]!.trim();
    cmd.string = s.startsWith('`') ? s.slice(1, -1) : unquote(s);
    return;
  }
  m = /^expect\s+range\s+vector\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$/.exec(b);
  if (m) {
    cmd.matrix = { start: durationMs(m[1]!), step: durationMs(m[3]!) };
    return;
  }
  m = /^expect\s+(no_)?(warn|info)(?:\s+(msg|regex):\s*(.*))?$/.exec(b);
  if (m) {
    const kind = m[2] as 'warn' | 'info';
    if (m[1]) {
      if (kind === 'warn') cmd.noWarn = true;
      else cmd.noInfo = true;
    } else cmd[kind].push(m[3] === 'msg' ? m[4]!.trim() : m[3] === 'regex' ? new RegExp(m[4]!.trim()) : true);
    return;
  }
  if (!/\s|\{/.test(b) && /^[-+]?(\d|\.\d|inf$|nan$)/i.test(b)) {
    cmd.scalar = number(b);
    return;
  }
  const s = seriesLine(b);
  if (s.histogram) cmd.histogram = true;
  cmd.expected.push(s);
}
