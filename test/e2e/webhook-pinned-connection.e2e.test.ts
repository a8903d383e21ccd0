import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { destinationRulesFrom } from '../../src/domain/webhooks/decide-destination.js';
import { DestinationGuard } from '../../src/webhooks/destination-guard.js';
import { pinnedPost } from '../../src/webhooks/pinned-post.js';

/*
 * The delivery connection itself: the address checked is the address connected to, and the host name still
 * goes in Host and TLS. Loopback only (127.0.0.1 and 127.0.0.2, both this machine).
 */

const listen = (server: Server, address: string): Promise<number> =>
  new Promise((resolve) => server.listen(0, address, () => resolve((server.address() as AddressInfo).port)));
const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
const post = { body: '{"ok":true}', headers: { 'content-type': 'application/json' } };

test('a name resolved by the system resolver is vetted, then reached at that address with its Host', async () => {
  const seen: IncomingMessage[] = [];
  const server = createHttpServer((req, res) => {
    seen.push(req);
    req.resume().on('end', () => res.writeHead(204).end());
  });
  const port = await listen(server, '127.0.0.1');
  try {
    const url = new URL(`http://localhost:${port}/hook`);
    const guard = new DestinationGuard(destinationRulesFrom('', '').rules);
    const vetted = await guard.vet(url, AbortSignal.timeout(5000));
    assert.ok(vetted.allowed);
    assert.ok(vetted.addresses.some((a) => a.address === '127.0.0.1'));
    const status = await pinnedPost(url, vetted.addresses, { ...post, signal: AbortSignal.timeout(5000) });
    assert.equal(status, 204);
    assert.equal(seen[0]?.headers.host, `localhost:${port}`);
    assert.equal(seen[0]?.headers['content-length'], String(post.body.length));
  } finally {
    await close(server);
  }
});

test('the connection goes to the pinned address, not to a second resolution of the name', async () => {
  const server = createHttpServer((req, res) => req.resume().on('end', () => res.writeHead(202).end()));
  const port = await listen(server, '127.0.0.2');
  try {
    // localhost resolves to 127.0.0.1, where nothing listens on this port: only the pin can reach 127.0.0.2.
    const url = new URL(`http://localhost:${port}/hook`);
    const status = await pinnedPost(url, [{ address: '127.0.0.2', family: 4 }], {
      ...post,
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(status, 202);
  } finally {
    await close(server);
  }
});

test('https: the certificate is still checked against the host name, which is sent as SNI', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-pinned-tls-'));
  try {
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const names: string[] = [];
    const server = createHttpsServer({
      key: readFileSync(key),
      cert: readFileSync(cert),
      SNICallback: (name, done) => {
        names.push(name);
        done(null);
      },
    });
    const port = await listen(server, '127.0.0.1');
    try {
      const url = new URL(`https://localhost:${port}/hook`);
      await assert.rejects(
        pinnedPost(url, [{ address: '127.0.0.1', family: 4 }], {
          ...post,
          signal: AbortSignal.timeout(5000),
        }),
        (error: NodeJS.ErrnoException) => error.code === 'DEPTH_ZERO_SELF_SIGNED_CERT',
        'a self-signed certificate is refused: verification stays on',
      );
      assert.deepEqual(names, ['localhost']);
    } finally {
      await close(server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
