import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BundleTooLargeError, BundleValidationError } from '../../../src/domain/baselines/bundle-problems.js';
import { DEFAULT_BUNDLE_LIMITS, type BundleLimits } from '../../../src/domain/baselines/bundle-types.js';
import { validateBundle } from '../../../src/domain/baselines/validate-bundle.js';

const global = { scope: 'global', childVisibility: 'mirrored', volatile: false, source: 'builtin' };
const net = { scope: 'net', childVisibility: 'isolated', volatile: false, source: 'probe' };

function bundle(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'kernel-ledger/bundle',
    formatVersion: 1,
    exportedAt: '2026-11-29T14:05:00.000Z',
    at: '2026-11-29T14:03:00.000Z',
    host: { hostname: 'dev-1', kernelRelease: '6.18.0', bootId: 'b0b0' },
    classification: { 'net.netfilter.nf_conntrack_max': global, 'net.core.somaxconn': net },
    values: { 'net.netfilter.nf_conntrack_max': '262144', 'net.core.somaxconn': '4096' },
    ...overrides,
  };
}

function problemsOf(input: unknown, limits: BundleLimits = DEFAULT_BUNDLE_LIMITS): string {
  try {
    validateBundle(input, limits);
  } catch (error) {
    assert.ok(error instanceof BundleValidationError, String(error));
    return error.message;
  }
  assert.fail('expected a validation error');
}

test('a well-formed bundle comes back as checked, namespaces included', () => {
  const namespaces = [
    {
      identity: 'net:1/ipc:2/uts:3',
      kind: 'container',
      owners: [
        {
          kind: 'container',
          ref: 'abc',
          name: 'api',
          image: null,
          declaredSysctls: { 'net.core.somaxconn': '1024' },
        },
      ],
      values: { 'net.core.somaxconn': '1024' },
    },
  ];
  const checked = validateBundle(bundle({ namespaces }), DEFAULT_BUNDLE_LIMITS);
  assert.deepEqual(checked, bundle({ namespaces }));
  assert.equal(validateBundle(bundle(), DEFAULT_BUNDLE_LIMITS).namespaces, undefined);
});

test('the format version is checked before anything else', () => {
  const message = problemsOf(bundle({ formatVersion: 2, values: 'garbage' }));
  assert.match(message, /body\.formatVersion: 2 is not supported/);
  assert.doesNotMatch(message, /values/);
  assert.match(problemsOf(bundle({ format: 'other' })), /body\.format: must be 'kernel-ledger\/bundle'/);
});

test('each problem names its path', () => {
  const cases: [unknown, RegExp][] = [
    [null, /^body: must be a JSON object/],
    [[1, 2], /^body: must be a JSON object .*got an array/],
    [bundle({ host: undefined }), /body\.host: .*got nothing \(the field is missing\)/],
    [
      bundle({ host: { hostname: 7, kernelRelease: null, bootId: null } }),
      /body\.host\.hostname: must be a string or null, got a number/,
    ],
    [bundle({ at: 'yesterday' }), /body\.at: 'yesterday' is not an ISO-8601/],
    [
      bundle({ values: { '../../etc/shadow': 'x' } }),
      /body\.values\["\.\.\/\.\.\/etc\/shadow"\]: not a sysctl key/,
    ],
    [
      bundle({ values: { 'net.core.somaxconn': 4096 } }),
      /body\.values\["net\.core\.somaxconn"\]: must be a string or null, got a number/,
    ],
    [
      bundle({ values: { 'net.core.somaxconn': 'x'.repeat(5000) } }),
      /5000 characters exceeds the limit of 4096/,
    ],
    [
      bundle({ values: { 'kernel.unknown': '1' } }),
      /body\.values\["kernel\.unknown"\]: has no entry in body\.classification/,
    ],
    [
      bundle({ classification: { 'net.core.somaxconn': { ...net, scope: 'galactic' } } }),
      /\.scope: must be one of/,
    ],
    [
      bundle({ classification: { 'net.core.somaxconn': { ...net, volatile: 'no' } } }),
      /\.volatile: must be a boolean, got a string/,
    ],
    [bundle({ extra: 1 }), /body\["extra"\]: unknown field/],
    [bundle({ namespaces: {} }), /body\.namespaces: must be an array/],
    [
      bundle({ namespaces: [{ identity: 'x', kind: 'netns', owners: [], values: { 'a.b': '1' } }] }),
      /body\.namespaces\[0\]\.values\["a\.b"\]: has no entry/,
    ],
  ];
  for (const [input, expected] of cases) assert.match(problemsOf(input), expected);
});

test('problems are collected, not only the first', () => {
  const message = problemsOf(bundle({ at: 'x', values: { '..': '1', 'net.core.somaxconn': 1 } }));
  assert.equal(message.split('; ').length, 3, message);
});

test('more keys or namespace sets than the limits is a size error, not a shape error', () => {
  const limits = { ...DEFAULT_BUNDLE_LIMITS, maxKeys: 1, maxNamespaces: 0 };
  assert.throws(() => validateBundle(bundle(), limits), BundleTooLargeError);
  const one = {
    classification: { 'net.core.somaxconn': net },
    values: { 'net.core.somaxconn': '1' },
    namespaces: [{ identity: 'x', kind: 'netns', owners: [], values: {} }],
  };
  assert.throws(() => validateBundle(bundle(one), limits), /1 namespace sets exceeds the limit of 0/);
});
