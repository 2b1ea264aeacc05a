import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLogFilter, VigilError } from '../src/index.js';

describe('VIGIL_LOG filter', () => {
  test('a bare level sets the default and module=level sets a module', () => {
    const filter = parseLogFilter('warning,scrape=debug,llm=warn');
    assert.equal(filter.defaultLevel, 'warning');
    assert.equal(filter.levelFor('scrape'), 'debug');
    assert.equal(filter.levelFor('llm'), 'warning');
    assert.equal(filter.levelFor('http'), 'warning');
  });

  test('a module level covers its sub-modules, the longest prefix winning', () => {
    const filter = parseLogFilter('info,scrape=debug,scrape.parser=error');
    assert.equal(filter.levelFor('scrape.http'), 'debug');
    assert.equal(filter.levelFor('scrape.parser'), 'error');
    assert.equal(filter.levelFor('scrape.parser.escapes'), 'error');
    assert.equal(filter.levelFor('scraper'), 'info');
  });

  test('empty text, blanks and a trailing comma keep the fallback', () => {
    assert.equal(parseLogFilter(undefined).defaultLevel, 'info');
    assert.equal(parseLogFilter('', 'error').defaultLevel, 'error');
    assert.equal(parseLogFilter(' debug , ').defaultLevel, 'debug');
  });

  test('off and silent silence a module', () => {
    assert.equal(parseLogFilter('scrape=off').levelFor('scrape'), 'off');
    assert.equal(parseLogFilter('silent').defaultLevel, 'off');
  });

  const bad: Array<[string, RegExp]> = [
    ['loud', /bad directive "loud" at position 1: unknown level/],
    ['info,scrape=loud', /bad directive "scrape=loud" at position 6: unknown level "loud" for module "scrape"/],
    ['info,=debug', /bad directive "=debug" at position 6: module name is empty/],
    ['info,scrape=', /bad directive "scrape=" at position 6: unknown level ""/],
    ['a=b=c', /bad directive "a=b=c" at position 1: more than one "="/],
    ['info,9lives=debug', /"9lives" is not a module name/],
  ];
  for (const [text, message] of bad) {
    test(`"${text}" is refused with the bad token and its position`, () => {
      assert.throws(
        () => parseLogFilter(text),
        (err: unknown) => err instanceof VigilError && err.code === 'VIGIL_BAD_LOG_FILTER' && message.test(err.message),
      );
    });
  }
});
