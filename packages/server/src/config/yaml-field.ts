import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Scalar,
} from 'yaml';
import { ServerError } from '../errors.js';
import { parseDuration, parseSize } from './units.js';

/** One parsed YAML file: its name for messages, and the line of any node. */
export class YamlSource {
  readonly fileName: string;
  readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();

  /** Parses `text`; throws VIGIL_BAD_CONFIG with the line of the first YAML syntax error. */
  constructor(text: string, fileName: string) {
    this.fileName = fileName;
    // merge: prometheus.yml is read by go-yaml v2, which honours `<<: *anchor`.
    this.doc = parseDocument(text, { lineCounter: this.lines, merge: true, uniqueKeys: true });
    const err = this.doc.errors[0];
    if (err !== undefined) {
      const line = err.linePos?.[0]?.line ?? this.lineOf(err.pos[0]);
      const why = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new ServerError('VIGIL_BAD_CONFIG', `${fileName} line ${line}: ${why}`);
    }
  }

  /** The 1-based line of a character offset. */
  lineOf(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  /** The document's top level as a field (an empty document reads as an empty map). */
  root(): Field {
    return new Field(this, this.doc.contents ?? undefined, '', 1);
  }
}

/** The node at one place of the file: its path (`scrape_configs[1].scrape_interval`) and line, and typed reads. */
export class Field {
  readonly source: YamlSource;
  /** The value's node; undefined when the key is absent or its value is null. */
  readonly node: Node | undefined;
  readonly path: string;
  readonly line: number;

  constructor(source: YamlSource, node: Node | null | undefined, path: string, fallbackLine: number) {
    let resolved = node ?? undefined;
    if (resolved !== undefined && isAlias(resolved)) resolved = resolved.resolve(source.doc) as Node | undefined;
    if (resolved !== undefined && isScalar(resolved) && resolved.value === null) resolved = undefined;
    this.source = source;
    this.node = resolved;
    this.path = path;
    this.line = resolved?.range ? source.lineOf(resolved.range[0]) : fallbackLine;
  }

  /** Whether the key is absent or null. */
  get missing(): boolean {
    return this.node === undefined;
  }

  /** A VIGIL_BAD_CONFIG error at this field: `file line N: path: why`. */
  bad(why: string): ServerError {
    return new ServerError('VIGIL_BAD_CONFIG', `${this.where()}: ${why}`);
  }

  /** `file line N: path` for messages. */
  where(): string {
    return `${this.source.fileName} line ${this.line}: ${this.path || '(top level)'}`;
  }

  /** Reads a map, refusing any key not in `known` (VIGIL_CONFIG_UNSUPPORTED, with the key's line). */
  map(known: readonly string[], unsupportedHint?: (key: string) => string | undefined): FieldMap {
    const entries = new Map<string, Field>();
    if (this.node === undefined) return new FieldMap(this, entries);
    if (!isMap(this.node)) throw this.bad(`expected a map of keys, got ${describe(this.node)}`);
    const merged: Node[] = [];
    for (const pair of this.node.items) {
      const key = pair.key as Node | null;
      const keyLine = key?.range ? this.source.lineOf(key.range[0]) : this.line;
      if (key && isScalar(key) && typeof key.value === 'symbol') {
        merged.push(...mergeSources(this.source, pair.value as Node));
        continue;
      }
      const name = key && isScalar(key) ? String(key.value) : '';
      const path = this.path === '' ? name : `${this.path}.${name}`;
      if (!known.includes(name)) {
        const hint = unsupportedHint?.(name) ?? `keys Vigil reads here: ${known.join(', ')}`;
        throw new ServerError(
          'VIGIL_CONFIG_UNSUPPORTED',
          `${this.source.fileName} line ${keyLine}: ${path} is not supported by Vigil (${hint})`,
        );
      }
      entries.set(name, new Field(this.source, pair.value as Node | null, path, keyLine));
    }
    // Keys written in the map itself win over merged ones, the first merged source over later ones.
    for (const source of merged) {
      const inner = new Field(this.source, source, this.path, this.line).map(known, unsupportedHint);
      for (const [name, field] of inner.entries) if (!entries.has(name)) entries.set(name, field);
    }
    return new FieldMap(this, entries);
  }

  /** The items of a list (an absent key reads as an empty list). */
  list(): Field[] {
    if (this.node === undefined) return [];
    if (!isSeq(this.node)) throw this.bad(`expected a list, got ${describe(this.node)}`);
    return this.node.items.map((item, i) => new Field(this.source, item as Node, `${this.path}[${i}]`, this.line));
  }

  /** A scalar as text, as go-yaml reads any scalar into a string field (`1.10` stays "1.10"). */
  string(): string | undefined {
    if (this.node === undefined) return undefined;
    if (!isScalar(this.node)) throw this.bad(`expected a string, got ${describe(this.node)}`);
    const scalar = this.node as Scalar;
    return typeof scalar.value === 'string' ? scalar.value : (scalar.source ?? String(scalar.value));
  }

  /** A required, non-empty string. */
  requiredString(): string {
    const text = this.string();
    if (text === undefined || text === '') throw this.bad('is required and must not be empty');
    return text;
  }

  /** A boolean (YAML 1.1 spellings yes/no/on/off too, as go-yaml v2 reads them). */
  bool(fallback: boolean): boolean {
    if (this.node === undefined) return fallback;
    const text = this.string()!;
    if (/^(?:true|yes|on|y)$/i.test(text)) return true;
    if (/^(?:false|no|off|n)$/i.test(text)) return false;
    throw this.bad(`expected true or false, got ${JSON.stringify(text)}`);
  }

  /** A whole number ≥ 0 (0 when absent). */
  uint(fallback = 0): number {
    const text = this.string();
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      throw this.bad(`expected a whole number ≥ 0, got ${JSON.stringify(text)}`);
    }
    return Number(text);
  }

  /** Milliseconds of a Prometheus duration, or `fallback` when absent. */
  duration(fallback: number): number;
  duration(fallback?: number): number | undefined;
  duration(fallback?: number): number | undefined {
    const text = this.string();
    if (text === undefined) return fallback;
    const ms = parseDuration(text);
    if (ms === undefined) {
      const unitHint = /^\d+$/.test(text) ? ` (a duration needs a unit: ${text}s)` : '';
      throw this.bad(
        `expected a duration such as 30s, 1m30s, 500ms or 1d (units y, w, d, h, m, s, ms), got ${JSON.stringify(text)}${unitHint}`,
      );
    }
    return ms;
  }

  /** Bytes of a size such as 512MB (B, KB, MB, GB, TB, PB, EB as powers of 1024), or 0 when absent. */
  size(): number {
    const text = this.string();
    if (text === undefined) return 0;
    const bytes = parseSize(text);
    if (bytes === undefined) {
      throw this.bad(
        `expected a size such as 512MB or 1GB (units B, KB, MB, GB, TB, PB, EB), got ${JSON.stringify(text)}`,
      );
    }
    return bytes;
  }

  /** A list of strings. */
  stringList(): string[] {
    return this.list().map((item) => {
      const text = item.string();
      if (text === undefined) throw item.bad('expected a string, got null');
      return text;
    });
  }

  /** A map of string keys to string values (label sets, headers). */
  stringMap(): Map<string, Field> {
    const out = new Map<string, Field>();
    if (this.node === undefined) return out;
    if (!isMap(this.node)) throw this.bad(`expected a map, got ${describe(this.node)}`);
    for (const pair of this.node.items) {
      const key = pair.key as Node | null;
      const name = key && isScalar(key) ? String(key.value) : '';
      const keyLine = key?.range ? this.source.lineOf(key.range[0]) : this.line;
      out.set(name, new Field(this.source, pair.value as Node | null, `${this.path}.${name}`, keyLine));
    }
    return out;
  }
}

/** The keys of one map, each a Field (absent keys read as missing fields). */
export class FieldMap {
  readonly field: Field;
  readonly entries: Map<string, Field>;

  constructor(field: Field, entries: Map<string, Field>) {
    this.field = field;
    this.entries = entries;
  }

  /** The field under `key`; missing when absent. */
  get(key: string): Field {
    return (
      this.entries.get(key) ??
      new Field(
        this.field.source,
        undefined,
        this.field.path === '' ? key : `${this.field.path}.${key}`,
        this.field.line,
      )
    );
  }

  /** Whether the key is written with a non-null value. */
  has(key: string): boolean {
    return this.entries.get(key)?.missing === false;
  }
}

function mergeSources(source: YamlSource, value: Node): Node[] {
  const resolved = isAlias(value) ? (value.resolve(source.doc) as Node) : value;
  if (isSeq(resolved)) return resolved.items.flatMap((item) => mergeSources(source, item as Node));
  return [resolved];
}

function describe(node: Node): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return JSON.stringify(node.source ?? node.value);
  return 'something else';
}
