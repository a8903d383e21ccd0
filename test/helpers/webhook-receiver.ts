import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
  /** What the receiver answered; null when it left the request hanging. */
  readonly answered: number | null;
}

export interface DeliveryEnvelope {
  id: string;
  type: string;
  createdAt: string;
  events: { id: string; type: string; occurredAt: string; data: Record<string, unknown> }[];
}

/** `ok` answers 204, `fail` answers 503, `hang` never answers. */
export type ReceiverMode = 'ok' | 'fail' | 'hang';

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests. `down()` closes the listening socket (connections are
 * refused) and `up()` listens again on the same port.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  mode: ReceiverMode = 'ok';
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(private portNumber: number) {}

  static async start(port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(port);
    await receiver.up();
    return receiver;
  }

  get port(): number {
    return this.portNumber;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.portNumber}${path}`;
  }

  /** Requests answered 2xx. */
  get delivered(): ReceivedRequest[] {
    return this.requests.filter((r) => r.answered !== null && r.answered < 300);
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const mode = this.mode;
        const answered = mode === 'ok' ? 204 : mode === 'fail' ? 503 : null;
        this.requests.push({
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
          answered,
        });
        if (answered !== null) res.writeHead(answered).end();
      });
    });
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.portNumber, '127.0.0.1', () => resolve());
    });
    this.portNumber = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops open connections. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits until `count` requests were answered 2xx. */
  async waitForDelivered(count: number, timeoutMs = 15_000): Promise<ReceivedRequest[]> {
    return this.waitUntil(
      () => this.delivered.length >= count,
      timeoutMs,
      `${count} delivered requests`,
    ).then(() => this.delivered);
  }

  async waitForRequests(count: number, timeoutMs = 15_000): Promise<ReceivedRequest[]> {
    await this.waitUntil(() => this.requests.length >= count, timeoutMs, `${count} requests`);
    return this.requests;
  }

  private async waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline)
        throw new Error(`receiver: timed out waiting for ${what} (got ${this.requests.length} requests)`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export function envelopeOf(request: ReceivedRequest): DeliveryEnvelope {
  return JSON.parse(request.body) as DeliveryEnvelope;
}

/** A port nothing listens on (bound, then released). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
