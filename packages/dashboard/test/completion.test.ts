import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionContext, labelValueInsert, rank } from '../web/src/views/explore/completion.js';

const at = (text: string) => completionContext(text.replace('|', ''), text.indexOf('|'));

describe('PromQL completion context', () => {
  it('completes a metric or function name at a word', () => {
    assert.deepEqual(at('gen_ai_cl|'), { kind: 'metric', prefix: 'gen_ai_cl', from: 0 });
    assert.deepEqual(at('sum(rate(vigil_ag|'), { kind: 'metric', prefix: 'vigil_ag', from: 9 });
  });

  it('completes label names inside braces, knowing the metric', () => {
    assert.deepEqual(at('up{jo|'), { kind: 'labelName', metric: 'up', prefix: 'jo', from: 3 });
    assert.deepEqual(at('up{job="a", |'), { kind: 'labelName', metric: 'up', prefix: '', from: 12 });
    assert.deepEqual(at('{|'), { kind: 'labelName', metric: undefined, prefix: '', from: 1 });
  });

  it('completes label values inside an open string, for any matcher', () => {
    assert.deepEqual(at('up{job="no|'), { kind: 'labelValue', metric: 'up', label: 'job', prefix: 'no', from: 8 });
    assert.deepEqual(at('x{a=~"|'), { kind: 'labelValue', metric: 'x', label: 'a', prefix: '', from: 6 });
    assert.deepEqual(at('x{a!="q\\"r|'), { kind: 'labelValue', metric: 'x', label: 'a', prefix: 'q\\"r', from: 6 });
  });

  it('completes label names in grouping clauses', () => {
    assert.deepEqual(at('sum by (job, inst|'), { kind: 'labelName', metric: undefined, prefix: 'inst', from: 13 });
    assert.deepEqual(at('a / on (|'), { kind: 'labelName', metric: undefined, prefix: '', from: 8 });
  });

  it('offers nothing inside a range duration or after a closed string', () => {
    assert.equal(at('rate(x[5|'), undefined);
    assert.equal(at('up{job="a"|'), undefined);
    assert.equal(at('1 + |'), undefined);
  });
});

describe('completion ranking and insertion', () => {
  it('puts prefix matches before substring matches and leaves out the exact word', () => {
    assert.deepEqual(rank(['up', 'upper', 'group', 'sup'], 'up'), ['upper', 'group', 'sup']);
    assert.deepEqual(rank(['a', 'b', 'c'], '', 2), ['a', 'b']);
  });

  it('escapes a label value and closes its string', () => {
    assert.equal(labelValueInsert('a"b\\c', ''), 'a\\"b\\\\c"');
    assert.equal(labelValueInsert('node', '"}'), 'node');
  });
});
