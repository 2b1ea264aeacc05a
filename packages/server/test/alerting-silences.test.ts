import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { runSilenceCommand, Silences } from '../src/alerting/index.js';
import type { CliIo } from '../src/cli/program.js';
import { alertingHarness, tempFiles } from './support/alerting-harness.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const good = {
  matchers: [{ name: 'alertname', value: 'HighErrorRate', isRegex: false }],
  startsAt: iso(NOW),
  endsAt: iso(NOW + 3_600_000),
  createdBy: 'ana',
  comment: 'deploying',
};

describe('silences: validation at the boundary', () => {
  const bad: [string, unknown, RegExp][] = [
    ['not an object', 'x', /expected a JSON object/],
    ['no matchers', { ...good, matchers: [] }, /at least one matcher is required/],
    [
      'a bad label name',
      { ...good, matchers: [{ name: '1x', value: 'a', isRegex: false }] },
      /invalid label name "1x"/,
    ],
    ['a regex RE2 refuses', { ...good, matchers: [{ name: 'job', value: '(a)\\1', isRegex: true }] }, /invalid regex/],
    [
      'matchers that match every alert',
      { ...good, matchers: [{ name: 'job', value: '.*', isRegex: true }] },
      /must not match the empty string/,
    ],
    ['endsAt before startsAt', { ...good, endsAt: iso(NOW - 1000) }, /endsAt must be after startsAt/],
    ['a time that is not RFC 3339', { ...good, endsAt: 'tomorrow' }, /endsAt: expected an RFC 3339 time/],
    ['no creator', { ...good, createdBy: ' ' }, /createdBy is required/],
    ['no comment', { ...good, comment: '' }, /comment is required/],
    ['an unknown field', { ...good, color: 'red' }, /unknown field "color"/],
    ['an id that does not exist', { ...good, id: 'nope' }, /no silence with id "nope"/],
  ];
  for (const [what, body, re] of bad) {
    test(`refused: ${what}`, () => {
      const silences = new Silences({ now: () => NOW });
      assert.throws(
        () => silences.upsert(body),
        (e: Error & { code?: string }) => e.code === 'VIGIL_BAD_SILENCE' && re.test(e.message),
      );
      assert.equal(silences.list().length, 0);
    });
  }

  test('the API answers a bad silence with 400 bad_data naming the problem', async () => {
    const h = alertingHarness('rule_files: []\n');
    const app = Fastify();
    await app.register(h.alerting.routes);
    const res = await app.inject({ method: 'POST', url: '/api/vigil/silences', payload: { ...good, comment: '' } });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      status: 'error',
      errorType: 'bad_data',
      error: 'silence: comment is required (why the alerts are silenced) [VIGIL_BAD_SILENCE]',
    });
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/vigil/silences/nope' })).statusCode, 404);
    await app.close();
  });
});

describe('silences: states and persistence', () => {
  test('pending, active, expired; matching; kept in a file across a restart; updating keeps the id', () => {
    let now = NOW;
    const file = join(tempFiles({}), 'silences.json');
    const silences = new Silences({ now: () => now, file });
    const later = silences.upsert({ ...good, startsAt: iso(NOW + 600_000), endsAt: iso(NOW + 1_200_000) });
    const active = silences.upsert({ ...good, matchers: [{ name: 'job', value: 'api|web', isRegex: true }] });
    assert.equal(silences.get(later.id)?.status.state, 'pending');
    assert.equal(silences.get(active.id)?.status.state, 'active');
    assert.deepEqual(silences.silencedBy({ alertname: 'X', job: 'web' }), [active.id]);
    assert.deepEqual(silences.silencedBy({ alertname: 'X', job: 'db' }), []);
    const updated = silences.upsert({ ...good, id: active.id, comment: 'longer deploy', endsAt: iso(NOW + 7_200_000) });
    assert.equal(updated.id, active.id);

    const reopened = new Silences({ now: () => now, file });
    assert.equal(reopened.list().length, 2);
    assert.equal(reopened.get(active.id)?.comment, 'longer deploy');
    assert.ok(reopened.expire(active.id));
    assert.equal(reopened.get(active.id)?.status.state, 'expired');
    writeFileSync(join(dirname(file), 'broken.json'), '{not json');
    assert.throws(
      () => new Silences({ now: () => now, file: join(dirname(file), 'broken.json') }),
      /broken\.json: not a silences file Vigil wrote .*move it away/,
    );
    now += 6 * 86_400_000;
    assert.equal(reopened.list().length, 0, 'expired silences are forgotten after the retention');
  });
});

describe('vigil silence (CLI) against the service API with the admin token', () => {
  let app: FastifyInstance;
  let url = '';
  before(async () => {
    const h = alertingHarness('rule_files: []\n', {}, { now: Date.now });
    app = Fastify();
    app.addHook('onRequest', async (req, reply) => {
      if (req.headers.authorization !== 'Bearer secret-token')
        return reply.code(401).send({ status: 'error', errorType: 'unauthorized', error: 'unauthorized' });
    });
    await app.register(h.alerting.routes);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => app.close());

  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      env: { VIGIL_ADMIN_TOKEN: 'secret-token', VIGIL_URL: url, USER: 'ops' },
      stdout: (t) => void out.push(t),
      stderr: (t) => void err.push(t),
      colour: false,
    };
    const code = await runSilenceCommand(args, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test('add, list, expire', async () => {
    const added = await run(
      'add',
      'alertname=HighErrorRate',
      'job=~"api|web"',
      '--comment',
      'deploy',
      '--duration',
      '2h',
    );
    assert.equal(added.code, 0, added.err);
    const id = added.out.trim();
    assert.match(id, /^[0-9a-f-]{36}$/);
    const listed = await run('list');
    assert.match(
      listed.out,
      new RegExp(`${id}  active .*\\{alertname="HighErrorRate", job=~"api\\|web"\\}  ops: deploy`),
    );
    const expired = await run('expire', id);
    assert.equal(expired.out, `expired ${id}`);
    assert.equal((await run('list')).out, 'no silences');
    assert.match((await run('list', '--expired')).out, /expired/);
  });

  test('bad input and refusals: exit codes and messages', async () => {
    const badMatcher = await run('add', 'not a matcher', '--comment', 'x');
    assert.equal(badMatcher.code, 3);
    assert.match(badMatcher.err, /bad matcher "not a matcher".*\[VIGIL_BAD_ARGUMENT\]/);
    const badDuration = await run('add', 'a=b', '--comment', 'x', '--duration', 'soon');
    assert.match(badDuration.err, /--duration: expected a duration/);
    const everything = await run('add', 'job=~".*"', '--comment', 'x');
    assert.equal(everything.code, 1);
    assert.match(everything.err, /must not match the empty string .*\[VIGIL_BAD_SILENCE\]/);
    const unknown = await run('expire', 'nope');
    assert.equal(unknown.code, 1);
    const wrongToken = await run('list', '--token', 'wrong');
    assert.equal(wrongToken.code, 3);
    assert.match(wrongToken.err, /refused the admin token \(401\).*\[VIGIL_UNAUTHORIZED\]/);
    assert.ok(!wrongToken.err.includes('wrong'), 'the token is not printed');
    const down = await run('list', '--url', 'http://127.0.0.1:1');
    assert.match(down.err, /\[VIGIL_UNREACHABLE\]/);
  });
});
