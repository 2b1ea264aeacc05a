/** A syntax or math error in an arithmetic expression, with the character position it was found at. */
export class ArithmeticError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArithmeticError';
  }
}

/** Longest expression accepted, which also bounds how deep parentheses can nest. */
export const MAX_EXPRESSION_LENGTH = 200;

/**
 * Evaluates `+ - * / % ^`, parentheses, unary signs and decimal numbers, without `eval`:
 * a recursive-descent parser, since the input is whatever a user typed.
 * `^` binds tighter than unary minus and associates to the right, so `-2^2` is -4 and `2^3^2` is 512.
 */
export function evaluateArithmetic(expression: string): number {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new ArithmeticError(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  }
  const parser = new Parser(expression);
  const value = parser.expression();
  parser.skipSpaces();
  if (!parser.atEnd()) throw parser.error('expected an operator');
  if (!Number.isFinite(value)) throw new ArithmeticError('result is not a finite number');
  return value;
}

class Parser {
  #pos = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  expression(): number {
    let value = this.term();
    for (let op = this.operator('+-'); op !== undefined; op = this.operator('+-')) {
      const right = this.term();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  }

  term(): number {
    let value = this.unary();
    for (let op = this.operator('*/%'); op !== undefined; op = this.operator('*/%')) {
      const right = this.unary();
      if (op !== '*' && right === 0) throw new ArithmeticError('division by zero');
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  }

  unary(): number {
    const sign = this.operator('+-');
    if (sign === undefined) return this.power();
    const value = this.unary();
    return sign === '-' ? -value : value;
  }

  power(): number {
    const base = this.primary();
    return this.operator('^') === undefined ? base : base ** this.unary();
  }

  primary(): number {
    this.skipSpaces();
    if (this.#text[this.#pos] === '(') {
      this.#pos++;
      const value = this.expression();
      this.skipSpaces();
      if (this.#text[this.#pos] !== ')') throw this.error('expected ")"');
      this.#pos++;
      return value;
    }
    const match = /^(?:\d+(?:\.\d*)?|\.\d+)/.exec(this.#text.slice(this.#pos));
    if (match === null) throw this.error('expected a number');
    this.#pos += match[0].length;
    return Number(match[0]);
  }

  operator(choices: string): string | undefined {
    this.skipSpaces();
    const char = this.#text[this.#pos];
    if (char === undefined || !choices.includes(char)) return undefined;
    this.#pos++;
    return char;
  }

  skipSpaces(): void {
    while (this.#text[this.#pos] === ' ' || this.#text[this.#pos] === '\t') this.#pos++;
  }

  atEnd(): boolean {
    return this.#pos >= this.#text.length;
  }

  error(what: string): ArithmeticError {
    const found = this.atEnd() ? 'end of expression' : `"${this.#text[this.#pos]}"`;
    return new ArithmeticError(`${what} at position ${this.#pos + 1} (found ${found})`);
  }
}
