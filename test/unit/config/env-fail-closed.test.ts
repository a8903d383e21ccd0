import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidEnvironmentError, validateEnvironment } from '../../../src/config/env.schema.js';

const TOKEN = 'write-token-0123456789abcdef';
const READ_TOKEN = 'read-token-0123456789abcdef';

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnvironment(env);
    return [];
  } catch (error) {
    assert.ok(error instanceof InvalidEnvironmentError);
    return [...error.problems];
  }
}

test('closed reads need API_TOKEN, even with a read token; a read token needs closed reads', () => {
  assert.match(problemsOf({ AUTH_READS: 'true' }).join('\n'), /AUTH_READS=true needs API_TOKEN/);
  assert.match(
    problemsOf({ AUTH_READS: 'true', API_READ_TOKEN: READ_TOKEN }).join('\n'),
    /AUTH_READS=true needs API_TOKEN/,
  );
  assert.match(
    problemsOf({ API_TOKEN: TOKEN, API_READ_TOKEN: READ_TOKEN }).join('\n'),
    /API_READ_TOKEN is set but AUTH_READS is not true/,
  );
  assert.match(
    problemsOf({ API_TOKEN: TOKEN, API_READ_TOKEN: TOKEN, AUTH_READS: 'true' }).join('\n'),
    /API_READ_TOKEN equals API_TOKEN/,
  );
  assert.deepEqual(problemsOf({ API_TOKEN: TOKEN, API_READ_TOKEN: READ_TOKEN, AUTH_READS: 'true' }), []);
  assert.deepEqual(problemsOf({ API_TOKEN: TOKEN, AUTH_READS: 'true' }), []);
});

test('a token with whitespace or a non-ASCII character is refused, and not echoed', () => {
  for (const token of [`${TOKEN} `, `${TOKEN}\n`, 'two words-0123456789', `${TOKEN}é`]) {
    const problems = problemsOf({ API_TOKEN: token }).join('\n');
    assert.match(problems, /API_TOKEN=<hidden>: .*without whitespace/, JSON.stringify(token));
    assert.ok(!problems.includes(token.trim()), 'never echoed');
  }
  assert.match(
    problemsOf({ API_TOKEN: TOKEN, AUTH_READS: 'true', API_READ_TOKEN: `${READ_TOKEN}\t` }).join('\n'),
    /API_READ_TOKEN=<hidden>/,
  );
});

test('the list variables are parsed at boot: every bad entry is named', () => {
  const problems = problemsOf({
    ALLOWED_HOSTS: 'ok.example http://bad/',
    WEBHOOK_ALLOW: '10.0.0.0/40',
    WEBHOOK_DENY: 'what?',
  });
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.match(problems.join('\n'), /ALLOWED_HOSTS: 'http:\/\/bad\/'/);
  assert.match(problems.join('\n'), /WEBHOOK_ALLOW: '10\.0\.0\.0\/40'/);
  assert.match(problems.join('\n'), /WEBHOOK_DENY: 'what\?'/);
});
