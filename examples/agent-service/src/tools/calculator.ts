import { pick } from '../random.js';
import { ArithmeticError, evaluateArithmetic } from './arithmetic.js';
import { requireArgument, type Tool, ToolError } from './tool.js';

// A run of arithmetic characters holding at least one operator between two operands.
const ARITHMETIC_RUN = /[\d.(][\d.\s()+\-*/%^]*[-+*/%^][\d.\s()+\-*/%^]*[\d.)]/;
const EXAMPLES = ['17 * 23', '(1200 - 340) / 4', '2 ^ 10', '0.15 * 86.40', '365 * 24'] as const;

/** Evaluates arithmetic the user asks for ("what is 17 * 23?"). */
export const calculator: Tool = {
  name: 'calculator',
  description: 'Evaluates an arithmetic expression with + - * / % ^ and parentheses.',
  medianLatencyMs: 3,
  failureRate: 0,
  matches: (text) => ARITHMETIC_RUN.test(text),
  argumentsFor(text, random) {
    const found = ARITHMETIC_RUN.exec(text);
    return { expression: found === null ? pick(random, EXAMPLES) : found[0].trim() };
  },
  run(args) {
    const expression = requireArgument(args, 'expression');
    try {
      const value = evaluateArithmetic(expression);
      return `${expression} = ${Number(value.toPrecision(12))}`;
    } catch (error) {
      if (error instanceof ArithmeticError)
        throw new ToolError(
          'bad_arguments',
          'cannot evaluate the expression',
          `cannot evaluate "${expression}": ${error.message}`,
        );
      throw error;
    }
  },
};
