import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCriVerboseInfo } from '../../../src/domain/namespaces/read-cri-verbose-info.js';

test('containerd: pid and the sandbox config’s linux.sysctls', () => {
  const info = {
    info: JSON.stringify({
      pid: 5147,
      processStatus: 'running',
      config: { linux: { sysctls: { 'net.core.somaxconn': '1234' } } },
      runtimeSpec: { linux: { sysctl: { 'net.core.somaxconn': '1234', 'kernel.shm_rmid_forced': '1' } } },
    }),
  };
  assert.deepEqual(readCriVerboseInfo(info), { pid: 5147, sysctls: { 'net.core.somaxconn': '1234' } });
});

test('CRI-O: the OCI spec’s linux.sysctl when there is no config', () => {
  const info = {
    info: JSON.stringify({
      pid: 42,
      runtimeSpec: { linux: { sysctl: { 'net.ipv4.ip_local_port_range': '1024 65000' } } },
    }),
  };
  assert.deepEqual(readCriVerboseInfo(info), {
    pid: 42,
    sysctls: { 'net.ipv4.ip_local_port_range': '1024 65000' },
  });
});

test('missing or malformed info reads as unknown, never as an error', () => {
  const cases: Record<string, string>[] = [
    {},
    { info: '' },
    { info: 'not json' },
    { info: '[1]' },
    { info: '{"pid":"7"}' },
  ];
  for (const info of cases) {
    assert.deepEqual(readCriVerboseInfo(info), { pid: 0, sysctls: {} });
  }
});
