import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { backoffDelay } from '../../../src/domain/webhooks/backoff-delay.js';
import { globProblem, matchesAnyGlob } from '../../../src/domain/webhooks/match-glob.js';
import { signPayload, verifySignature } from '../../../src/domain/webhooks/sign-payload.js';
import { eventsProblems, redactUrl, urlProblem } from '../../../src/domain/webhooks/validate-subscription.js';

test('signature is sha256=hex HMAC of "<timestamp>.<body>"', () => {
  const body = '{"a":1}';
  const expected = createHmac('sha256', 'k').update(`1700000000.${body}`).digest('hex');
  assert.equal(signPayload('k', 1700000000, body), `sha256=${expected}`);
  assert.ok(verifySignature('k', 1700000000, body, `sha256=${expected}`));
  assert.ok(!verifySignature('k', 1700000001, body, `sha256=${expected}`));
  assert.ok(!verifySignature('k', 1700000000, `${body} `, `sha256=${expected}`));
  assert.ok(!verifySignature('k', 1700000000, body, 'sha256=short'));
});

test('backoff grows 2.5x per attempt with ±20 % jitter; defaults span about a day', () => {
  assert.equal(backoffDelay(1, 5000, 0.5), 5000);
  assert.equal(backoffDelay(2, 5000, 0.5), 12500);
  assert.equal(backoffDelay(1, 5000, 0), 4000);
  assert.equal(backoffDelay(1, 5000, 0.999999), 6000);
  const total = Array.from({ length: 11 }, (_, i) => backoffDelay(i + 1, 5000, 0.5)).reduce(
    (a, b) => a + b,
    0,
  );
  assert.ok(total > 18 * 3600_000 && total < 26 * 3600_000, `${total / 3600_000} h`);
});

const globs: [string, 'key' | 'namespace', boolean][] = [
  ['net.netfilter.*', 'key', true],
  ['fs.*', 'key', true],
  ['net.ipv4.conf.*.rp_filter', 'key', true],
  ['kernel.?ostname', 'key', true],
  ['net..x', 'key', false],
  ['.net', 'key', false],
  ['net.', 'key', false],
  ['net.[ab]', 'key', false],
  ['', 'key', false],
  ['net netfilter', 'key', false],
  ['a.***', 'key', false],
  ['api-*', 'namespace', true],
  ['net:4026531840/ipc:*', 'namespace', true],
  ['api 7', 'namespace', false],
];
for (const [pattern, kind, valid] of globs) {
  test(`glob ${JSON.stringify(pattern)} (${kind}) is ${valid ? 'valid' : 'rejected'}`, () => {
    assert.equal(globProblem(pattern, kind) === null, valid);
  });
}

test('* crosses dots, ? is one character, everything else is literal', () => {
  assert.ok(matchesAnyGlob(['fs.*'], ['fs.inotify.max_user_watches']));
  assert.ok(!matchesAnyGlob(['fs.*'], ['fsx.y']));
  assert.ok(matchesAnyGlob(['net.ipv4.conf.*.rp_filter'], ['net.ipv4.conf.eth0/100.rp_filter']));
  assert.ok(!matchesAnyGlob(['net.core.somaxconn'], ['net.core.somaxconnX']));
  assert.ok(matchesAnyGlob(['db-?'], ['db-1']));
  assert.ok(!matchesAnyGlob(['a+b'], ['aab']));
});

test('urls: http(s) only, credentials redacted', () => {
  assert.equal(urlProblem('https://hooks.example.com/x'), null);
  assert.equal(urlProblem('http://u:p@127.0.0.1:8080/'), null);
  assert.match(urlProblem('ftp://x/') ?? '', /ftp is not allowed/);
  assert.match(urlProblem('nope') ?? '', /not a URL/);
  assert.equal(redactUrl('https://user:pass@h.example/p?q=1'), 'https://***@h.example/p?q=1');
  assert.equal(redactUrl('https://h.example/p'), 'https://h.example/p');
  assert.equal(eventsProblems(['setting.changed', 'x']).length, 1);
  assert.equal(eventsProblems(undefined).length, 0);
});
