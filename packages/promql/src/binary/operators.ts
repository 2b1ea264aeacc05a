// Arithmetic and comparison on two floats, chosen once per node.

import { goPow } from '../functions/instant.js';
import type { BinaryOp } from '../parse/ast.js';

/** Go's math.Mod (the sign of the dividend; NaN for a zero divisor or an infinite dividend). */
function goMod(a: number, b: number): number {
  return a % b;
}

/** The function computing an arithmetic operator. */
export function arithmetic(op: BinaryOp): ((a: number, b: number) => number) | undefined {
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return (a, b) => a * b;
    case '/':
      return (a, b) => a / b;
    case '%':
      return goMod;
    case '^':
      return goPow;
    case 'atan2':
      return Math.atan2;
    default:
      return undefined;
  }
}

/** The function computing a comparison operator. */
export function comparison(op: BinaryOp): ((a: number, b: number) => boolean) | undefined {
  switch (op) {
    case '==':
      return (a, b) => a === b;
    case '!=':
      return (a, b) => a !== b;
    case '>':
      return (a, b) => a > b;
    case '<':
      return (a, b) => a < b;
    case '>=':
      return (a, b) => a >= b;
    case '<=':
      return (a, b) => a <= b;
    default:
      return undefined;
  }
}
