/** Stable error codes of @vigil/re2; each one is listed in docs/errors.md. */
export const RE2_ERROR_CODES = {
  VIGIL_RE2_INVALID:
    'a pattern RE2 itself rejects (backreference, lookaround, unbalanced group, bad escape or repeat count); the message names the pattern, the offset and the problem',
  VIGIL_RE2_UNSUPPORTED:
    'a pattern RE2 runs but JavaScript cannot run the same way (`(?U)`, `\\C`); the message names the pattern, the offset and the feature',
} as const;

/** One of the re2 package's stable error codes. */
export type Re2ErrorCode = keyof typeof RE2_ERROR_CODES;

/** The one error class of @vigil/re2: `code` is stable, `message` names the pattern, where and what. */
export class Re2Error extends Error {
  readonly code: Re2ErrorCode;
  /** The RE2 pattern as written. */
  readonly pattern: string;
  /** Offset of the problem in `pattern` (UTF-16 units); undefined when only the JavaScript engine saw it. */
  readonly offset: number | undefined;
  /** The problem alone, without the pattern or offset (for callers that say where themselves). */
  readonly reason: string;

  /**
   * `engineError` is the JavaScript engine's SyntaxError when the translation did not compile: its message (which
   * shows the translated source) goes into `message`, and `reason` keeps only its last part.
   */
  constructor(code: Re2ErrorCode, pattern: string, offset: number | undefined, reason: string, engineError?: Error) {
    super(
      offset === undefined
        ? `invalid regex "${pattern}": ${engineError?.message ?? reason}`
        : `regex "${pattern}" at offset ${offset}: ${reason}`,
      engineError === undefined ? undefined : { cause: engineError },
    );
    this.name = 'Re2Error';
    this.code = code;
    this.pattern = pattern;
    this.offset = offset;
    this.reason = reason;
  }
}

/** A VIGIL_RE2_INVALID error: RE2 would refuse the pattern too. */
export function invalid(pattern: string, offset: number, reason: string): Re2Error {
  return new Re2Error('VIGIL_RE2_INVALID', pattern, offset, reason);
}

/** A VIGIL_RE2_UNSUPPORTED error: RE2 runs the pattern, JavaScript cannot run it the same way. */
export function unsupported(pattern: string, offset: number, reason: string): Re2Error {
  return new Re2Error('VIGIL_RE2_UNSUPPORTED', pattern, offset, reason);
}
