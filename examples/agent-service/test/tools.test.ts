import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TurnResult } from '../src/agent/agent.js';
import { ArithmeticError, evaluateArithmetic } from '../src/tools/arithmetic.js';
import { calculator } from '../src/tools/calculator.js';
import { getWeather } from '../src/tools/weather.js';
import { postMessage, startAgent } from './support/agent.js';

describe('the calculator arithmetic', () => {
  const cases: [string, number][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 / 4', 2.5],
    ['10 % 4', 2],
    ['-2 ^ 2', -4],
    ['2 ^ 3 ^ 2', 512],
    ['--3', 3],
    ['.5 + 1.25', 1.75],
    ['  ( 365 - 104 ) * 8 ', 2088],
  ];
  for (const [expression, expected] of cases) {
    test(`evaluates ${expression.trim()} to ${expected}`, () => {
      assert.equal(evaluateArithmetic(expression), expected);
    });
  }

  test('refuses division by zero', () => {
    assert.throws(() => evaluateArithmetic('1 / (2 - 2)'), /division by zero/);
  });

  test('says where a syntax error is', () => {
    assert.throws(() => evaluateArithmetic('1 + * 2'), /expected a number at position 5/);
    assert.throws(() => evaluateArithmetic('(1 + 2'), /expected "\)"/);
  });

  test('runs no code, only arithmetic', () => {
    assert.throws(() => evaluateArithmetic('process.exit(1)'), ArithmeticError);
    assert.throws(() => evaluateArithmetic('1; 2'), /expected an operator at position 2/);
  });

  test('finds the expression in what the user wrote', () => {
    const args = calculator.argumentsFor('what is 17 * (3+4)?', () => 0.5);
    assert.deepEqual(args, { expression: '17 * (3+4)' });
    assert.equal(
      calculator.run(args, () => 0.5),
      '17 * (3+4) = 119',
    );
  });
});

test('reports a failing tool in the answer and logs tool.call.failed, and the turn still succeeds', async () => {
  const brokenWeather = { ...getWeather, failureRate: 1 };
  const agent = await startAgent({ tools: [brokenWeather] });
  try {
    const res = await postMessage(
      agent.url,
      't1',
      { text: 'weather in Lima?', delayMs: 1 },
      { 'x-request-id': 'tool-fail' },
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as TurnResult;
    assert.equal(body.tool_calls.length, 1);
    assert.equal(body.tool_calls[0]?.status, 'error');
    assert.match(body.tool_calls[0]?.error ?? '', /did not answer/);
    const [failed] = agent.logs.events('tool.call.failed');
    assert.equal(failed?.tool, 'get_weather');
    assert.equal(failed?.status, 'error');
    assert.match(String(failed?.error), /^ToolError: unavailable: /);
    assert.equal(failed?.correlation_id, 'tool-fail');
    assert.equal(agent.logs.events('tool.call.failed').length, 1, 'logged once, by the recorder');
  } finally {
    await agent.close();
  }
});

test('tells the model what went wrong with its arguments, but never logs them', async () => {
  const agent = await startAgent();
  try {
    const res = await postMessage(agent.url, 't2', { text: 'what is 7 / (3 - 3)?', delayMs: 1 });
    assert.equal(res.status, 200);
    const body = (await res.json()) as TurnResult;
    assert.equal(body.tool_calls[0]?.name, 'calculator');
    assert.match(body.tool_calls[0]?.error ?? '', /cannot evaluate "7 \/ \(3 - 3\)": division by zero/);
    const [failed] = agent.logs.events('tool.call.failed');
    assert.equal(failed?.error, 'ToolError: bad_arguments: cannot evaluate the expression');
    for (const line of agent.logs.lines) assert.doesNotMatch(JSON.stringify(line), /3 - 3/);
  } finally {
    await agent.close();
  }
});
