// Escapes of label values, quoted names and HELP text. Unknown escapes stay as written, as
// Prometheus's replacers leave them.

const CH_BACKSLASH = 92;

/** `text[start, end)` with `\\`, `\n` and (when `quotes`) `\"` unescaped. */
export function unescapeText(text: string, start: number, end: number, quotes: boolean): string {
  let out = '';
  let from = start;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) !== CH_BACKSLASH || i + 1 >= end) continue;
    const next = text.charCodeAt(i + 1);
    let replacement: string;
    if (next === CH_BACKSLASH) replacement = '\\';
    else if (next === 110 /* n */) replacement = '\n';
    else if (next === 34 /* " */ && quotes) replacement = '"';
    else continue;
    out += text.slice(from, i) + replacement;
    i++;
    from = i + 1;
  }
  return from === start ? text.slice(start, end) : out + text.slice(from, end);
}
