import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedHostsProblems, decideHost, hostPolicyFor } from '../../../src/domain/access/decide-host.js';

const verdictOf = (
  host: string | undefined,
  origin: string | undefined,
  policy = loopback,
): number | 'ok' => {
  const verdict = decideHost(host, origin, policy);
  return verdict.allowed ? 'ok' : verdict.status;
};
const loopback = hostPolicyFor('127.0.0.1', 'ledger-01', '');

test('on a loopback bind: the bound address, localhost, [::1] and the machine name, any port', () => {
  const rows: [string | undefined, number | 'ok'][] = [
    ['127.0.0.1:9477', 'ok'],
    ['127.0.0.1', 'ok'],
    ['localhost:9477', 'ok'],
    ['LOCALHOST.:9477', 'ok'],
    ['[::1]:9477', 'ok'],
    ['[0:0:0:0:0:0:0:1]:9477', 'ok'],
    ['ledger-01:9477', 'ok'],
    [undefined, 'ok'],
    ['attacker.example:9477', 421],
    ['attacker.example', 421],
    ['127.0.0.2:9477', 421],
    ['10.0.0.5:9477', 421],
    ['localhost.attacker.example', 421],
    ['', 421],
  ];
  for (const [host, expected] of rows) assert.equal(verdictOf(host, undefined), expected, String(host));
});

test('a browser Origin must name the agent too: a cross-site page is refused even with a good Host', () => {
  assert.equal(verdictOf('127.0.0.1:9477', 'http://127.0.0.1:9477'), 'ok');
  assert.equal(verdictOf('127.0.0.1:9477', 'http://localhost:3000'), 'ok');
  assert.equal(verdictOf('127.0.0.1:9477', 'https://attacker.example'), 403);
  assert.equal(verdictOf('127.0.0.1:9477', 'null'), 403);
});

test('a wildcard bind accepts every IP literal; names still need to be ours or listed', () => {
  const wide = hostPolicyFor('0.0.0.0', 'ledger-01', 'ledger.example.com, .corp.example');
  assert.equal(verdictOf('192.0.2.10:9477', undefined, wide), 'ok');
  assert.equal(verdictOf('[2001:db8::1]:9477', undefined, wide), 'ok');
  assert.equal(verdictOf('ledger.example.com', undefined, wide), 'ok');
  assert.equal(verdictOf('a.b.corp.example:443', undefined, wide), 'ok');
  assert.equal(verdictOf('corp.example.attacker.example', undefined, wide), 421);
  assert.equal(verdictOf('attacker.example', undefined, wide), 421);
  const specific = hostPolicyFor('192.0.2.10', 'ledger-01', '');
  assert.equal(verdictOf('192.0.2.10:9477', undefined, specific), 'ok');
  assert.equal(verdictOf('192.0.2.11:9477', undefined, specific), 421);
});

test('ALLOWED_HOSTS=* turns the check off; malformed entries are problems', () => {
  const off = hostPolicyFor('127.0.0.1', 'ledger-01', '*');
  assert.equal(verdictOf('attacker.example', 'https://attacker.example', off), 'ok');
  assert.deepEqual(allowedHostsProblems('ok.example, *.fine.example, [::1], *'), []);
  assert.equal(allowedHostsProblems('http://bad.example/ also bad!').length, 2);
});
