// Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest decimal that reads back as v, never in exponent form.

/** A float as Go prints it with format 'f' and precision -1 (`+Inf`, `-Inf`, `NaN` for the specials). */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', expText] = m;
  const digits = int! + frac;
  const exp = Number(expText);
  if (exp >= 0) {
    const pointAt = 1 + exp;
    return (
      sign +
      (digits.length <= pointAt
        ? digits + '0'.repeat(pointAt - digits.length)
        : `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`)
    );
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}
