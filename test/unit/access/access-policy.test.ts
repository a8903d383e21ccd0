import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AccessSettings, decideAccess } from '../../../src/domain/access/access-policy.js';

const WRITE = 'write-token-0123456789abcdef';
const READ = 'read-token-0123456789abcdef';
const closed: AccessSettings = { readOnly: false, apiToken: WRITE, authReads: true, apiReadToken: READ };
const bearer = (token: string): string => `Bearer ${token}`;

test('who may do what, with both tokens and closed reads', () => {
  const rows: [method: string, authorization: string | undefined, status: number | 'allowed'][] = [
    ['GET', undefined, 401],
    ['GET', bearer('nope-nope-nope-nope'), 401],
    ['GET', bearer(READ), 'allowed'],
    ['GET', bearer(WRITE), 'allowed'],
    ['POST', undefined, 401],
    ['POST', bearer('nope-nope-nope-nope'), 401],
    ['POST', bearer(READ), 403],
    ['DELETE', bearer(READ), 403],
    ['PATCH', bearer(READ), 403],
    ['POST', bearer(WRITE), 'allowed'],
  ];
  for (const [method, authorization, expected] of rows) {
    const decision = decideAccess(method, authorization, closed);
    assert.equal(decision.allowed ? 'allowed' : decision.status, expected, `${method} ${authorization}`);
  }
  const forbidden = decideAccess('POST', bearer(READ), closed);
  assert.ok(!forbidden.allowed);
  assert.match(forbidden.message, /read token \(API_READ_TOKEN\) may only read/);
  assert.doesNotMatch(forbidden.message, new RegExp(READ), 'the token is never echoed');
});

test('postmortem mode answers 405 to a change whatever the token; no token leaves everything open', () => {
  const postmortem = decideAccess('POST', bearer(WRITE), { ...closed, readOnly: true });
  assert.equal(postmortem.allowed ? 'allowed' : postmortem.status, 405);
  const open: AccessSettings = {
    readOnly: false,
    apiToken: undefined,
    authReads: false,
    apiReadToken: undefined,
  };
  assert.equal(decideAccess('POST', undefined, open).allowed, true);
});
