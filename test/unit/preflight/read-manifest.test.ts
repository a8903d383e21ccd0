import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestError, readManifest } from '../../../src/domain/preflight/read-manifest.js';

test('compose: sysctls as a map or a list, network_mode and ipc host', () => {
  const map = readManifest(
    'services:\n  web:\n    image: nginx\n    network_mode: host\n    ipc: host\n    sysctls:\n      net.core.somaxconn: 1024\n',
  );
  assert.equal(map.source, 'compose service web');
  assert.deepEqual([...map.sysctls], [['net.core.somaxconn', '1024']]);
  assert.equal(map.network, 'host');
  assert.equal(map.ipc, 'host');
  assert.equal(map.runtime, 'compose');
  const list = readManifest('services:\n  db:\n    sysctls:\n      - "kernel.sem=250 32000 32 128"\n');
  assert.deepEqual([...list.sysctls], [['kernel.sem', '250 32000 32 128']]);
  assert.equal(list.network, 'private');
});

test('compose: the named service, else the only one with sysctls, else an error naming them', () => {
  const text =
    'services:\n  a:\n    image: x\n  b:\n    sysctls: {net.core.somaxconn: 1}\n  c:\n    sysctls: [net.ipv4.tcp_syncookies=1]\n';
  assert.equal(readManifest(text, 'c').source, 'compose service c');
  assert.throws(() => readManifest(text), /3 containers or pods \(a, b, c\); name one with service/);
  assert.throws(() => readManifest(text, 'z'), /service 'z' is not in the manifest/);
  assert.equal(
    readManifest('services:\n  a: {image: x}\n  b: {sysctls: {net.x: 1}}\n').source,
    'compose service b',
  );
});

test('kubernetes: a Pod, a Deployment template, hostNetwork and hostIPC; JSON works too', () => {
  const pod = readManifest(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api' },
      spec: {
        hostNetwork: true,
        securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
        containers: [],
      },
    }),
  );
  assert.equal(pod.source, 'Pod api');
  assert.equal(pod.network, 'host');
  assert.equal(pod.runtime, 'kubernetes');
  assert.deepEqual([...pod.sysctls], [['net.core.somaxconn', '1024']]);
  const deployment = readManifest(
    '---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: []}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      hostIPC: true\n      securityContext:\n        sysctls:\n        - name: kernel.shm_rmid_forced\n          value: "1"\n',
  );
  assert.equal(deployment.source, 'Deployment web');
  assert.equal(deployment.ipc, 'host');
  assert.deepEqual([...deployment.sysctls], [['kernel.shm_rmid_forced', '1']]);
});

test('bad manifests are ManifestErrors with a message', () => {
  assert.throws(() => readManifest(''), ManifestError);
  assert.throws(() => readManifest('{"services": '), /not valid YAML or JSON/);
  assert.throws(() => readManifest('- a\n- b\n'), /is not a map/);
  assert.throws(() => readManifest('kind: ConfigMap\ndata: {}\n'), /no Compose service/);
  assert.throws(() => readManifest('services:\n  a:\n    sysctls: [nokey]\n'), /must be key=value/);
  assert.throws(() => readManifest('a: 1\na: 2\n'), /not valid YAML/);
  const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`).join('\n')}\nservices: {}\n`;
  assert.throws(() => readManifest(bomb), ManifestError);
});
