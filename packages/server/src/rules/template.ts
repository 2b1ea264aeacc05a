// The part of Go's text/template that Prometheus rule templates use: `{{ $labels.job }}`, `{{ $value }}`,
// `{{ $value | humanize }}`, `{{ printf "%.2f" $value }}`, `{{ index $labels "a-b" }}`, `{{- trim -}}` and
// comments. Anything else (if, range, with, define, other functions) is refused when the rule file is read.

import { goG, goSprintf } from './go-format.js';
import { humanize, humanize1024, humanizeDuration, humanizePercentage } from './humanize.js';

/** What a rule template can read: the alert's labels and value, and the service's external labels and URL. */
export interface TemplateData {
  labels: Readonly<Record<string, string>>;
  value: number;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
}

type Value = string | number | Readonly<Record<string, string>>;

type Operand =
  | { kind: 'var'; name: string; fields: string[] }
  | { kind: 'dot'; fields: string[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'func'; name: string };

type Command = Operand[];
type Node = { kind: 'text'; text: string } | { kind: 'action'; pipeline: Command[] };

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  humanize: (a) => humanize(num(a, 'humanize')),
  humanize1024: (a) => humanize1024(num(a, 'humanize1024')),
  humanizeDuration: (a) => humanizeDuration(num(a, 'humanizeDuration')),
  humanizePercentage: (a) => humanizePercentage(num(a, 'humanizePercentage')),
  printf: (a) => {
    if (typeof a[0] !== 'string') throw new Error('printf needs a format string first');
    return goSprintf(a[0], a.slice(1));
  },
  index: (a) => {
    const [map, key] = a;
    if (typeof map !== 'object' || typeof key !== 'string') throw new Error('index needs a map and a string key');
    return map[key] ?? '';
  },
  toUpper: (a) => str(a, 'toUpper').toUpperCase(),
  toLower: (a) => str(a, 'toLower').toLowerCase(),
  title: (a) =>
    str(a, 'title').replace(/(^|[^\p{L}\p{N}])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase()),
};

const ARITY: Record<string, [number, number]> = {
  humanize: [1, 1],
  humanize1024: [1, 1],
  humanizeDuration: [1, 1],
  humanizePercentage: [1, 1],
  printf: [1, 16],
  index: [2, 2],
  toUpper: [1, 1],
  toLower: [1, 1],
  title: [1, 1],
};

const VARIABLES = ['$labels', '$value', '$externalLabels', '$externalURL', '$'];
const DOT_FIELDS = ['Labels', 'Value', 'ExternalLabels', 'ExternalURL'];

/** A parsed template; `execute` never throws for data it was checked against at parse time, except printf misuse. */
export class RuleTemplate {
  readonly source: string;
  readonly #nodes: Node[];

  /** Parses `source`; throws an Error saying what is wrong and where (`1:12: ...`). */
  constructor(source: string) {
    this.source = source;
    this.#nodes = parse(source);
  }

  /** Whether the text holds no action (expansion is the identity). */
  get isStatic(): boolean {
    return this.#nodes.every((n) => n.kind === 'text');
  }

  /** Expands the template over `data`. Throws an Error when a function fails (printf with a bad verb, ...). */
  execute(data: TemplateData): string {
    let out = '';
    for (const node of this.#nodes) out += node.kind === 'text' ? node.text : render(runPipeline(node.pipeline, data));
    return out;
  }
}

/** Expands `text` once as a template: convenience for one-off use. */
export function expandTemplate(text: string, data: TemplateData): string {
  return new RuleTemplate(text).execute(data);
}

function parse(source: string): Node[] {
  const nodes: Node[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    let text = source.slice(pos, open < 0 ? source.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) nodes.push({ kind: 'text', text });
      break;
    }
    let start = open + 2;
    if (source[start] === '-' && /\s/.test(source[start + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    if (text) nodes.push({ kind: 'text', text });
    const close = findClose(source, start);
    if (close < 0) throw new Error(`${where(source, open)}: unclosed action ({{ without }})`);
    let end = close;
    if (source[close - 1] === '-' && /\s/.test(source[close - 2] ?? '')) {
      trimNext = true;
      end = close - 1;
    }
    const inner = source.slice(start, end).trim();
    pos = close + 2;
    if (inner.startsWith('/*')) {
      if (!inner.endsWith('*/')) throw new Error(`${where(source, open)}: unclosed comment`);
      continue;
    }
    if (inner === '') throw new Error(`${where(source, open)}: missing value for command`);
    nodes.push({ kind: 'action', pipeline: parsePipeline(inner, source, open) });
  }
  return nodes;
}

// The `}}` that closes the action starting at `from`, skipping quoted strings.
function findClose(source: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === '`') {
      const q = c;
      for (i++; i < source.length && source[i] !== q; i++) if (q === '"' && source[i] === '\\') i++;
    } else if (c === '}' && source[i + 1] === '}') return i;
  }
  return -1;
}

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(\|)|(\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)|(\.[A-Za-z0-9_.]*)|([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\S+))/y;

function parsePipeline(text: string, source: string, offset: number): Command[] {
  const at = where(source, offset);
  const commands: Command[] = [[]];
  TOKEN.lastIndex = 0;
  for (;;) {
    if (TOKEN.lastIndex >= text.length) break;
    const m = TOKEN.exec(text);
    if (!m) break;
    const current = commands[commands.length - 1]!;
    if (m[1] !== undefined) current.push({ kind: 'string', value: JSON.parse(m[1]) as string });
    else if (m[2] !== undefined) current.push({ kind: 'string', value: m[2].slice(1, -1) });
    else if (m[3] !== undefined) {
      if (current.length === 0) throw new Error(`${at}: missing command before |`);
      commands.push([]);
    } else if (m[4] !== undefined) {
      const [name, ...fields] = m[4].split('.') as [string, ...string[]];
      if (!VARIABLES.includes(name))
        throw new Error(
          `${at}: undefined variable "${name}" (templates can read $labels, $value, $externalLabels, $externalURL)`,
        );
      if ((name === '$value' || name === '$externalURL') && fields.length > 0)
        throw new Error(`${at}: ${name} has no field ${fields.join('.')}`);
      if ((name === '$labels' || name === '$externalLabels') && fields.length > 1)
        throw new Error(`${at}: ${m[4]}: a label value has no fields`);
      current.push({ kind: 'var', name, fields });
    } else if (m[5] !== undefined) {
      const fields = m[5] === '.' ? [] : m[5].slice(1).split('.');
      if (fields.length > 0 && !DOT_FIELDS.includes(fields[0]!))
        throw new Error(`${at}: can't evaluate field ${fields[0]} (fields: ${DOT_FIELDS.join(', ')})`);
      current.push({ kind: 'dot', fields });
    } else if (m[6] !== undefined) current.push({ kind: 'number', value: Number(m[6]) });
    else if (m[7] !== undefined) {
      const name = m[7];
      if (['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue'].includes(name))
        throw new Error(`${at}: "${name}" is not supported in Vigil's rule templates (see docs/alerting.md)`);
      if (!(name in FUNCTIONS))
        throw new Error(`${at}: function "${name}" not defined (Vigil supports ${Object.keys(FUNCTIONS).join(', ')})`);
      if (current.length > 0) throw new Error(`${at}: function "${name}" must start a command`);
      current.push({ kind: 'func', name });
    } else throw new Error(`${at}: unexpected "${m[8]}" in action`);
  }
  for (let i = 0; i < commands.length; i++) {
    const command = commands[i]!;
    if (command.length === 0) throw new Error(`${at}: missing command after |`);
    const head = command[0]!;
    const piped = i > 0 ? 1 : 0;
    if (head.kind !== 'func') {
      if (command.length > 1) throw new Error(`${at}: can't give an argument to a non-function`);
      if (piped) throw new Error(`${at}: can't pipe into a non-function`);
      continue;
    }
    const [min, max] = ARITY[head.name]!;
    const count = command.length - 1 + piped;
    if (count < min || count > max)
      throw new Error(
        `${at}: wrong number of args for ${head.name}: want ${min === max ? min : `${min}..${max}`}, got ${count}`,
      );
  }
  return commands;
}

function runPipeline(pipeline: Command[], data: TemplateData): Value {
  let carried: Value | undefined;
  for (const command of pipeline) {
    const head = command[0]!;
    if (head.kind !== 'func') {
      carried = operand(head, data);
      continue;
    }
    const args = command.slice(1).map((o) => operand(o, data));
    if (carried !== undefined) args.push(carried);
    carried = FUNCTIONS[head.name]!(args);
  }
  return carried ?? '';
}

function operand(o: Operand, data: TemplateData): Value {
  switch (o.kind) {
    case 'string':
    case 'number':
      return o.value;
    case 'var': {
      if (o.name === '$value') return data.value;
      if (o.name === '$externalURL') return data.externalURL;
      const map = o.name === '$labels' ? data.labels : o.name === '$externalLabels' ? data.externalLabels : undefined;
      if (map === undefined) return dot([...o.fields], data);
      return o.fields.length === 0 ? map : (map[o.fields[0]!] ?? '');
    }
    case 'dot':
      return dot(o.fields, data);
    case 'func':
      throw new Error(`function ${o.name} used as a value`);
  }
}

function dot(fields: string[], data: TemplateData): Value {
  const [first, second] = fields;
  if (first === undefined) return data.labels;
  const value: Value =
    first === 'Labels'
      ? data.labels
      : first === 'Value'
        ? data.value
        : first === 'ExternalLabels'
          ? data.externalLabels
          : data.externalURL;
  if (second === undefined) return value;
  return typeof value === 'object' ? (value[second] ?? '') : '';
}

function render(v: Value): string {
  if (typeof v === 'number') return goG(v);
  if (typeof v === 'string') return v;
  // Go prints a map as map[k:v k2:v2], keys sorted.
  return `map[${Object.keys(v)
    .sort()
    .map((k) => `${k}:${v[k]}`)
    .join(' ')}]`;
}

function num(args: Value[], fn: string): number {
  const v = args[0];
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new Error(`${fn}: expected a number, got ${JSON.stringify(v)}`);
}

function str(args: Value[], fn: string): string {
  const v = args[0];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goG(v);
  throw new Error(`${fn}: expected a string`);
}

function where(source: string, offset: number): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `${line}:${col}`;
}
