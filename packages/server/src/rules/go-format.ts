// Numbers printed as Go prints them, so annotations read as they do in Prometheus: `%v`, `%.4g`, `%e`, printf.

/** Go's `%g` with `prec` significant digits (-1: shortest round-trip), as strconv.FormatFloat(v, 'g', prec, 64). */
export function goG(v: number, prec = -1): string {
  const special = nonFinite(v);
  if (special !== undefined) return special;
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const shortest = prec < 0;
  const [sign, digits0, exp] = decimal(v, shortest ? undefined : Math.max(prec, 1));
  const digits = digits0.replace(/0+$/, '') || '0';
  const nd = digits.length;
  const dp = exp + 1;
  let eprec = shortest ? 6 : Math.max(prec, 1);
  if (!shortest && eprec > nd && nd >= dp) eprec = nd;
  if (shortest) eprec = 6;
  if (exp < -4 || exp >= eprec) return sign + expForm(digits, exp);
  return sign + fixedForm(digits, dp, Math.max(nd - dp, 0));
}

/** Go's `%e` with `prec` digits after the point (-1: shortest), as strconv.FormatFloat(v, 'e', prec, 64). */
export function goE(v: number, prec = -1): string {
  const special = nonFinite(v);
  if (special !== undefined) return special;
  if (v === 0) return `${Object.is(v, -0) ? '-' : ''}0${prec > 0 ? `.${'0'.repeat(prec)}` : ''}e+00`;
  const [sign, digits0, exp] = decimal(v, prec < 0 ? undefined : prec + 1);
  const digits = prec < 0 ? digits0.replace(/0+$/, '') || '0' : digits0;
  return sign + expForm(digits, exp);
}

/** Go's `%.Nf`. */
export function goF(v: number, prec = 6): string {
  const special = nonFinite(v);
  if (special !== undefined) return special;
  const digits = Math.min(prec, 100);
  const exact = Math.abs(v).toFixed(Math.min(digits + 30, 100));
  const cut = exact.indexOf('.') + 1 + digits;
  // A tie rounds to even, as Go does (toFixed rounds it up).
  if (digits > 0 && /^50*$/.test(exact.slice(cut)) && Number(exact[cut - 1]) % 2 === 0)
    return (v < 0 ? '-' : '') + exact.slice(0, cut);
  return v.toFixed(digits);
}

function nonFinite(v: number): string | undefined {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return undefined;
}

// Sign, significant digits and decimal exponent of v (rounded to `sig` digits when given). A tie rounds to even,
// as Go's strconv does (JavaScript's toExponential rounds a tie up).
function decimal(v: number, sig: number | undefined): [string, string, number] {
  const abs = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  if (sig === undefined) {
    const [mantissa, e] = abs.toExponential().split('e') as [string, string];
    return [sign, mantissa.replace('.', ''), Number(e)];
  }
  const [fullMantissa, fullE] = abs.toExponential(Math.min(sig + 30, 100)).split('e') as [string, string];
  const full = fullMantissa.replace('.', '');
  if (/^50*$/.test(full.slice(sig)) && Number(full[sig - 1]) % 2 === 0)
    return [sign, full.slice(0, sig), Number(fullE)];
  const [mantissa, e] = abs.toExponential(Math.min(sig - 1, 100)).split('e') as [string, string];
  return [sign, mantissa.replace('.', ''), Number(e)];
}

function expForm(digits: string, exp: number): string {
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const abs = Math.abs(exp);
  return `${head}e${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
}

function fixedForm(digits: string, dp: number, decimals: number): string {
  let intPart: string;
  let frac: string;
  if (dp <= 0) {
    intPart = '0';
    frac = '0'.repeat(-dp) + digits;
  } else if (dp >= digits.length) {
    intPart = digits + '0'.repeat(dp - digits.length);
    frac = '';
  } else {
    intPart = digits.slice(0, dp);
    frac = digits.slice(dp);
  }
  frac = frac.padEnd(decimals, '0').slice(0, decimals);
  return frac === '' ? intPart : `${intPart}.${frac}`;
}

/**
 * Go's fmt.Sprintf for the verbs templates use: `%s %v %d %f %e %g %q %%` with an optional precision (`%.2f`).
 * Throws on any other verb, naming it.
 */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let i = 0;
  return format.replace(
    /%([-+ 0#]*)(\d*)(?:\.(\d+))?([a-zA-Z%])/g,
    (all, _flags: string, width: string, precText: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      const prec = precText === undefined ? -1 : Number(precText);
      const arg = args[i++];
      if (arg === undefined) return `%!${verb}(MISSING)`;
      let out: string;
      switch (verb) {
        case 's':
        case 'v':
          out = typeof arg === 'number' ? (verb === 'v' ? goG(arg) : `%!s(float64=${goG(arg)})`) : String(arg);
          break;
        case 'q':
          out = JSON.stringify(String(arg));
          break;
        case 'd':
          out = typeof arg === 'number' && Number.isInteger(arg) ? String(arg) : `%!d(${typeOf(arg)}=${String(arg)})`;
          break;
        case 'f':
        case 'F':
          out = typeof arg === 'number' ? goF(arg, prec < 0 ? 6 : prec) : `%!f(${typeOf(arg)}=${String(arg)})`;
          break;
        case 'e':
          out = typeof arg === 'number' ? goE(arg, prec < 0 ? 6 : prec) : `%!e(${typeOf(arg)}=${String(arg)})`;
          break;
        case 'g':
          out = typeof arg === 'number' ? goG(arg, prec) : `%!g(${typeOf(arg)}=${String(arg)})`;
          break;
        default:
          throw new Error(`printf verb ${all} is not supported (use %s, %v, %d, %f, %e, %g, %q)`);
      }
      return width ? out.padStart(Number(width)) : out;
    },
  );
}

function typeOf(v: unknown): string {
  return typeof v === 'number' ? 'float64' : 'string';
}
