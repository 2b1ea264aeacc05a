// Number, duration and string literals as PromQL writes them.

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};
const DURATION_RE = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const DURATION_PART_RE = /(\d+)(ms|s|m|h|d|w|y)/g;

/** Milliseconds of a duration such as `1h30m`, or undefined when `text` is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  if (!DURATION_RE.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(DURATION_PART_RE)) ms += Number(m[1]) * DURATION_UNITS[m[2] as string]!;
  return ms;
}

/** The value of a number literal (`1e3`, `0x1f`, `1_000`, `Inf`, `NaN`, or a duration as seconds). */
export function parseNumber(text: string): number {
  let sign = 1;
  let t = text;
  if (t.startsWith('-') || t.startsWith('+')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1).trimStart();
  }
  const lower = t.toLowerCase();
  if (lower === 'inf') return sign * Number.POSITIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  const ms = parseDurationMs(t);
  if (ms !== undefined) return (sign * ms) / 1000;
  const cleaned = t.replaceAll('_', '');
  const value = lower.startsWith('0x') ? Number.parseInt(cleaned.slice(2), 16) : Number(cleaned);
  return sign * value;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** The value of a quoted string (Go escapes in "..." and '...', raw in `...`); throws a message on a bad escape. */
export function unquote(text: string): string {
  const q = text[0];
  if (text.length < 2 || text[text.length - 1] !== q) throw new Error('unterminated quoted string');
  const body = text.slice(1, -1);
  if (q === '`') return body;
  let out = '';
  const bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length > 0) {
      out += decodeBytes(bytes);
      bytes.length = 0;
    }
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      flushBytes();
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new Error('invalid escape at end of string');
    if (e in SIMPLE_ESCAPES) {
      if ((e === '"' || e === "'") && e !== q) throw new Error(`invalid escape sequence \\${e}`);
      flushBytes();
      out += SIMPLE_ESCAPES[e];
    } else if (e === 'x') {
      const hex = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error(`invalid escape sequence \\x${hex}`);
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new Error(`invalid escape sequence \\${oct}`);
      bytes.push(Number.parseInt(oct, 8) & 0xff);
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new Error(`invalid escape sequence \\${e}${hex}`);
      flushBytes();
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += n;
    } else {
      throw new Error(`unknown escape sequence \\${e}`);
    }
  }
  flushBytes();
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes written as `\xNN` escapes. Go strings may hold invalid UTF-8, JS strings cannot: bytes that are not valid
 * UTF-8 become lone surrogates U+DC80..U+DCFF (Python's "surrogateescape"), so they can be told apart and printed
 * back as `\xNN` (see goQuote).
 */
function decodeBytes(bytes: number[]): string {
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    return bytes.map((b) => String.fromCharCode(b < 0x80 ? b : 0xdc00 + b)).join('');
  }
}

/** Whether a string is valid UTF-8 text (holds no escaped invalid byte). */
export function isValidUtf8(s: string): boolean {
  return !/[\udc80-\udcff]/u.test(s);
}

/** A string quoted as Go's %q does it: invalid bytes as \xNN. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xdc80 && c <= 0xdcff) out += `\\x${(c - 0xdc00).toString(16).padStart(2, '0')}`;
    else if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
