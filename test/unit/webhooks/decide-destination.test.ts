import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decideDestination,
  decideWithoutResolving,
  destinationRulesFrom,
} from '../../../src/domain/webhooks/decide-destination.js';

const rulesOf = (allow = '', deny = '') => {
  const parsed = destinationRulesFrom(allow, deny);
  assert.deepEqual(parsed.problems, []);
  return parsed.rules;
};

const decide = (host: string, addresses: string[], rules = rulesOf()): string => {
  const verdict = decideDestination(host, addresses, rules);
  return verdict.allowed ? 'allowed' : verdict.reason;
};

test('defaults: link-local, unspecified and metadata addresses denied; loopback and the rest allowed', () => {
  for (const address of ['169.254.169.254', '169.254.0.1', 'fe80::1', '::ffff:169.254.169.254', '0.0.0.0']) {
    assert.match(decide(address, [address]), /denied by default/, address);
  }
  assert.match(decide('169.254.169.254', ['169.254.169.254']), /link-local.*WEBHOOK_ALLOW/);
  assert.match(decide('fd00:ec2::254', ['fd00:ec2::254']), /AWS metadata/);
  assert.match(decide('100.100.100.200', ['100.100.100.200']), /Alibaba/);
  for (const address of ['127.0.0.1', '127.8.9.10', '::1', '10.1.2.3', '192.0.2.7', '2001:db8::1']) {
    assert.equal(decide(address, [address]), 'allowed', address);
  }
  assert.equal(decide('hooks.example.com', ['192.0.2.7', '2001:db8::1']), 'allowed');
});

test('a name is refused when any of its addresses is, and named in the reason with the address', () => {
  assert.equal(
    decide('metadata.example', ['192.0.2.7', '169.254.169.254']),
    'metadata.example (169.254.169.254) is link-local (cloud metadata services answer at 169.254.169.254), denied by default (list its range in WEBHOOK_ALLOW to permit it)',
  );
  assert.match(decide('nowhere.example', []), /resolved to no address/);
});

test('WEBHOOK_DENY: ranges, addresses, names and suffixes, ahead of everything, loopback included', () => {
  const rules = rulesOf('', '127.0.0.0/8 ::1 10.0.0.0/8 relay.example .internal.example');
  assert.match(decide('localhost', ['127.0.0.1'], rules), /^localhost \(127\.0\.0\.1\) is in WEBHOOK_DENY$/);
  assert.match(decide('::1', ['::1'], rules), /WEBHOOK_DENY/);
  assert.match(decide('10.9.9.9', ['10.9.9.9'], rules), /WEBHOOK_DENY/);
  assert.match(decide('relay.example', ['192.0.2.7'], rules), /relay.example is listed in WEBHOOK_DENY/);
  assert.match(decide('a.INTERNAL.example.', ['192.0.2.7'], rules), /listed in WEBHOOK_DENY/);
  assert.equal(decide('internal.example.com', ['192.0.2.7'], rules), 'allowed', 'a suffix is a whole label');
});

test('WEBHOOK_ALLOW: only listed names or ranges (loopback still allowed); a range lifts a default denial', () => {
  const rules = rulesOf('hooks.example.com 192.0.2.0/24 169.254.10.0/24', '');
  assert.equal(decide('hooks.example.com', ['203.0.113.5'], rules), 'allowed');
  assert.equal(decide('other.example.com', ['192.0.2.99'], rules), 'allowed');
  assert.match(decide('other.example.com', ['203.0.113.5'], rules), /not in WEBHOOK_ALLOW/);
  assert.equal(decide('127.0.0.1', ['127.0.0.1'], rules), 'allowed');
  assert.equal(decide('169.254.10.5', ['169.254.10.5'], rules), 'allowed');
  assert.match(decide('169.254.169.254', ['169.254.169.254'], rules), /denied by default/);
  assert.match(
    decide('hooks.example.com', ['169.254.169.254'], rules),
    /denied by default/,
    'an allowed name does not lift the link-local denial: only its range does',
  );
});

test('without DNS: literal addresses are decided in full, names only against denied names', () => {
  const rules = rulesOf('', 'relay.example');
  assert.match(decideWithoutResolving('[fe80::1]', rules)?.allowed === false ? 'denied' : 'ok', /denied/);
  assert.equal(decideWithoutResolving('127.0.0.1', rules)?.allowed, true);
  assert.equal(decideWithoutResolving('relay.example', rules)?.allowed, false);
  assert.equal(decideWithoutResolving('hooks.example.com', rules), undefined);
});

test('bad entries are named with their variable', () => {
  const { problems } = destinationRulesFrom('10.0.0.0/33, ok.example', 'not a/cidr, http://x/');
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.match(problems[0] ?? '', /^WEBHOOK_ALLOW: '10\.0\.0\.0\/33' is not a CIDR/);
  assert.ok(problems.slice(1).every((p) => p.startsWith('WEBHOOK_DENY: ')));
});
