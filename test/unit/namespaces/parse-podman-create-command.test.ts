import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePodmanCreateCommand } from '../../../src/domain/namespaces/parse-podman-create-command.js';

// Lines as podman 4.3 records them in `Config.CreateCommand` (the first as captured from `podman inspect`).
const cases: [string, string[], string[], Record<string, string> | null][] = [
  [
    'run with a command',
    [
      'podman',
      'run',
      '-d',
      '--name',
      'web',
      '--sysctl',
      'net.core.somaxconn=1234',
      'busybox',
      'sleep',
      '600',
    ],
    ['sleep', '600'],
    { 'net.core.somaxconn': '1234' },
  ],
  [
    '--sysctl=, a comma list and a value with a space',
    [
      '/usr/bin/podman',
      'container',
      'create',
      '--sysctl=net.ipv4.ip_local_port_range=1024 65000',
      '--sysctl',
      'kernel.shmmni=8192,kernel.msgmni=64',
      'busybox',
    ],
    ['sh'],
    { 'net.ipv4.ip_local_port_range': '1024 65000', 'kernel.shmmni': '8192', 'kernel.msgmni': '64' },
  ],
  [
    'the container command is not read as options',
    ['podman', 'run', 'busybox', 'sysctl-tool', '--sysctl', 'a.b=1'],
    ['sysctl-tool', '--sysctl', 'a.b=1'],
    {},
  ],
  ['no sysctl declared', ['podman', 'run', '-d', 'busybox'], ['sh'], {}],
  ['not a create line (made through the API)', [], ['sleep', '600'], null],
  ['another podman verb', ['podman', 'kube', 'play', 'pod.yaml'], [], null],
];

for (const [name, argv, command, expected] of cases) {
  test(`podman create command: ${name}`, () => {
    assert.deepEqual(parsePodmanCreateCommand(argv, command), expected);
  });
}
