import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { judgeSysctl } from '../../../src/domain/preflight/judge-sysctl.js';
import { safeSysctlsFor } from '../../../src/domain/preflight/kubelet-rules.js';
import type {
  KernelFacts,
  KeyFacts,
  PreflightRequest,
} from '../../../src/domain/preflight/preflight-types.js';
import { parseModeListing } from '../../../src/os/kernel-probe.js';
import { repoPath } from '../../helpers/repo-path.js';

/** The facts of a real 6.18 kernel: the probe's mode listings and the host's values (test/fixtures). */
function fixtureKernel(): KernelFacts {
  const listing = (name: string) =>
    parseModeListing(readFileSync(repoPath('test', 'fixtures', 'kernel-probe', name), 'utf8'), '\n');
  const host = listing('host-modes.txt');
  const child = listing('child-modes.txt');
  const values = new Map<string, string>();
  for (const line of readFileSync(repoPath('test', 'fixtures', 'proc-sys.tsv'), 'utf8')
    .split('\n')
    .slice(1)) {
    const [key, , value] = line.split('\t');
    if (key && value !== undefined) values.set(key, value.replaceAll('\\t', '\t'));
  }
  const keys = new Map<string, KeyFacts>();
  for (const key of new Set([...host.keys(), ...child.keys()])) {
    keys.set(key, {
      onHost: host.has(key),
      scope: null,
      childMode: child.get(key) ?? null,
      hostValue: values.get(key) ?? null,
      childValue: child.has(key) ? (values.get(key) ?? null) : null,
    });
  }
  return { kernelRelease: '6.18.44-fc-v782', probed: true, keys, catalogVisibility: new Map() };
}

const KERNEL = fixtureKernel();
const SAFE = safeSysctlsFor(KERNEL.kernelRelease);
const DOCKER: Omit<PreflightRequest, 'sysctls'> = { network: 'private', ipc: 'private', runtime: 'docker' };

function judge(key: string, value: string, request: Partial<Omit<PreflightRequest, 'sysctls'>> = {}) {
  return judgeSysctl(key, value, { ...DOCKER, ...request }, KERNEL, SAFE);
}

test('a namespaced, writable key with a well-formed value is accepted', () => {
  const item = judge('net.core.somaxconn', '1024');
  assert.equal(item.verdict, 'ok');
  assert.equal(item.reason, null);
  assert.equal(item.kubelet, 'unsafe');
  assert.equal(judge('net.ipv4.ip_local_port_range', '1024 65000').kubelet, 'safe');
  assert.equal(judge('kernel.shmmax', '1234567').verdict, 'ok');
});

test('docker run refuses keys outside the CLI allowlist; the Engine API leaves them to runc', () => {
  const cli = judge('kernel.domainname', 'example.org');
  assert.equal(cli.stage, 'cli');
  assert.match(cli.reason ?? '', /sysctl 'kernel.domainname=example.org' is not allowed/);
  assert.equal(judge('kernel.domainname', 'example.org', { runtime: 'compose' }).verdict, 'ok');
  const global = judge('vm.max_map_count', '262144', { runtime: 'compose' });
  assert.equal(global.stage, 'runtime-validation');
  assert.equal(global.reason, 'sysctl "vm.max_map_count" is not in a separate kernel namespace');
  assert.match(
    judge('kernel.hostname', 'x', { runtime: 'compose' }).reason ?? '',
    /conflicts with the OCI "hostname" field/,
  );
});

test('mirrored keys fail at container init with EACCES, absent ones with ENOENT', () => {
  const mirrored = judge('net.netfilter.nf_conntrack_max', '262144');
  assert.equal(mirrored.stage, 'container-init');
  assert.equal(
    mirrored.reason,
    'error during container init: open /proc/sys/net/netfilter/nf_conntrack_max: permission denied',
  );
  assert.match(judge('net.core.rmem_max', '8388608').reason ?? '', /rmem_max: permission denied$/);
  assert.match(
    judge('net.core.netdev_max_backlog', '2000').reason ?? '',
    /open \/proc\/sys\/net\/core\/netdev_max_backlog: no such file or directory$/,
  );
  assert.match(judge('net.no.such_key', '1').reason ?? '', /no such file or directory$/);
});

test('net keys with host networking and ipc keys with host ipc are refused by runc', () => {
  assert.equal(
    judge('net.core.somaxconn', '1024', { network: 'host' }).reason,
    'sysctl "net.core.somaxconn" not allowed in host network namespace',
  );
  assert.equal(
    judge('kernel.shmmax', '1', { ipc: 'host' }).reason,
    'sysctl "kernel.shmmax" is not allowed in the hosts ipc namespace',
  );
  assert.equal(judge('net.core.somaxconn', '1024', { network: 'host' }).kubelet, 'forbidden');
});

test('malformed values fail at init with EINVAL; what the kernel accepts passes with a note', () => {
  for (const [key, value] of [
    ['net.core.somaxconn', 'abc'],
    ['net.core.somaxconn', '1.5'],
    ['net.core.somaxconn', '+1000'],
    ['net.ipv4.ip_local_port_range', '40000,50000'],
    ['kernel.shmmax', ''],
  ] as const) {
    const item = judge(key, value);
    assert.equal(item.verdict, 'rejected', `${key}=${value}`);
    assert.match(item.reason ?? '', /: invalid argument$/);
  }
  assert.equal(judge('net.core.somaxconn', '0x10').verdict, 'ok');
  const extra = judge('net.core.somaxconn', '1000 2000');
  assert.equal(extra.verdict, 'ok');
  assert.ok(extra.notes.some((n) => n.includes('ignored')));
  assert.equal(judge('net.ipv4.ip_local_port_range', '40000').verdict, 'ok');
  assert.equal(judge('net.ipv4.tcp_congestion_control', 'cubic').verdict, 'ok');
});

test('per-interface keys: eth0 is judged by lo, other devices are absent in a new container', () => {
  assert.equal(judge('net.ipv4.conf.eth0.rp_filter', '1').verdict, 'ok');
  const eth1 = judge('net.ipv4.conf.eth1.rp_filter', '1');
  assert.equal(eth1.verdict, 'rejected');
  assert.match(eth1.reason ?? '', /conf\/eth1\/rp_filter: no such file or directory$/);
});

test('kubernetes: the kubelet refuses unsafe and non-namespaced keys first', () => {
  const unsafe = judge('net.core.somaxconn', '1024', { runtime: 'kubernetes' });
  assert.equal(unsafe.stage, 'kubelet');
  assert.equal(unsafe.reason, 'forbidden sysctl: "net.core.somaxconn" not allowlisted');
  assert.equal(judge('net.ipv4.tcp_syncookies', '1', { runtime: 'kubernetes' }).verdict, 'ok');
  assert.equal(
    judge('net.ipv4.tcp_syncookies', '1', { runtime: 'kubernetes', network: 'host' }).reason,
    'forbidden sysctl: "net.ipv4.tcp_syncookies" not allowed with host net enabled',
  );
  assert.equal(judge('vm.swappiness', '10', { runtime: 'kubernetes' }).kubelet, 'forbidden');
});

test('without a stored probe the catalog classification decides, and unknown stays unknown', () => {
  const bare: KernelFacts = {
    kernelRelease: null,
    probed: false,
    keys: new Map(),
    catalogVisibility: new Map(),
  };
  const item = judgeSysctl('net.core.somaxconn', '1024', DOCKER, bare, safeSysctlsFor(null));
  assert.equal(item.verdict, 'ok');
  assert.ok(item.notes.some((n) => n.includes('no probe')));
  const mirrored: KernelFacts = {
    ...bare,
    keys: new Map([
      [
        'net.core.rmem_max',
        { onHost: true, scope: 'global', childMode: undefined, hostValue: '1', childValue: null },
      ],
    ]),
    catalogVisibility: new Map([['net.core.rmem_max', 'mirrored']]),
  };
  assert.match(
    judgeSysctl('net.core.rmem_max', '2', DOCKER, mirrored, SAFE).reason ?? '',
    /permission denied$/,
  );
});
