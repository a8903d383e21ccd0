import type { Client } from '@grpc/grpc-js';
import { loadCriGrpc } from './grpc.loader.js';

type Callback = (error: Error | null, response: unknown) => void;
type Unary = (request: object, options: { deadline: number }, callback: Callback) => void;

/** A RuntimeService client on a unix socket (grpc-js loaded on first use). Close it when done. */
export function criRuntimeClient(socketPath: string): Client {
  const { grpc, RuntimeService } = loadCriGrpc();
  return new RuntimeService(`unix://${socketPath}`, grpc.credentials.createInsecure(), {
    'grpc.enable_retries': 0,
  });
}

/** One unary CRI call with a deadline; the answer is typed by the caller (fields in camelCase). */
export function criCall<T>(client: Client, method: string, request: object, timeoutMs: number): Promise<T> {
  const fn = (client as unknown as Record<string, Unary | undefined>)[method];
  if (typeof fn !== 'function') return Promise.reject(new Error(`the CRI client has no method ${method}`));
  return new Promise((resolve, reject) => {
    fn.call(client, request, { deadline: Date.now() + timeoutMs }, (error, response) =>
      error ? reject(error) : resolve(response as T),
    );
  });
}
