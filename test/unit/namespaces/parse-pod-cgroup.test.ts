import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePodCgroup, parsePodLogDirectoryName } from '../../../src/domain/namespaces/parse-pod-cgroup.js';

const ID = 'a'.repeat(64);
const UID = '6b1f6d1e-0000-4000-8000-00000000c0de';

test('kubelet pod cgroups of both drivers and both runtimes', () => {
  const cases: [string, ReturnType<typeof parsePodCgroup>][] = [
    [`0::/kubepods/besteffort/pod${UID}/${ID}\n`, { podUid: UID, containerId: ID }],
    [
      `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replaceAll('-', '_')}.slice/cri-containerd-${ID}.scope\n`,
      { podUid: UID, containerId: ID },
    ],
    [
      `12:pids:/kubepods.slice/kubepods-pod${UID.replaceAll('-', '_')}.slice/crio-${ID}.scope\n1:name=systemd:/\n`,
      { podUid: UID, containerId: ID },
    ],
    [`0::/kubepods/pod${UID}\n`, { podUid: UID, containerId: null }],
    ['0::/system.slice/docker-' + ID + '.scope\n', null],
    ['0::/\n', null],
    ['', null],
  ];
  for (const [content, expected] of cases) assert.deepEqual(parsePodCgroup(content), expected, content);
});

test('log directory names split at the first and last underscore', () => {
  assert.deepEqual(parsePodLogDirectoryName(`kube-system_coredns-5d78c9869d-abcde_${UID}`), {
    namespace: 'kube-system',
    name: 'coredns-5d78c9869d-abcde',
    uid: UID,
  });
  for (const bad of ['nounderscore', '_a_b', 'a__b', 'a_b_'])
    assert.equal(parsePodLogDirectoryName(bad), null, bad);
});
