import { createRequire } from 'node:module';
import type * as Grpc from '@grpc/grpc-js';
import type * as ProtoLoader from '@grpc/proto-loader';
import type * as Protobuf from 'protobufjs';
import { releasePlaceholder } from '../dockerode.loader.js';
import { CRI_API_PROTO } from './cri-api-proto.js';

const require = createRequire(import.meta.url);

/** The constructor of a RuntimeService client, as grpc-js builds it from the proto. */
export type RuntimeServiceConstructor = new (
  address: string,
  credentials: Grpc.ChannelCredentials,
  options?: Grpc.ChannelOptions,
) => Grpc.Client;

export interface CriGrpc {
  readonly grpc: typeof Grpc;
  readonly RuntimeService: RuntimeServiceConstructor;
}

let loaded: CriGrpc | undefined;

/**
 * gRPC and the CRI runtime.v1 definitions, loaded on first use only: a host without a CRI socket never loads
 * them (about 4 MiB of RSS, bench figure 4). dockerode may have put placeholders for both packages in the
 * module cache (src/os/dockerode.loader.ts); they are released first.
 */
export function loadCriGrpc(): CriGrpc {
  if (loaded) return loaded;
  releasePlaceholder('@grpc/grpc-js');
  releasePlaceholder('@grpc/proto-loader');
  const grpc = require('@grpc/grpc-js') as typeof Grpc;
  const protoLoader = require('@grpc/proto-loader') as typeof ProtoLoader;
  const protobuf = require('protobufjs') as typeof Protobuf;
  const root = protobuf.parse(CRI_API_PROTO, { keepCase: false }).root;
  const definition = protoLoader.fromJSON(root.toJSON(), { longs: Number, enums: String, defaults: true });
  const runtime = grpc.loadPackageDefinition(definition) as unknown as {
    runtime: { v1: { RuntimeService: RuntimeServiceConstructor } };
  };
  loaded = { grpc, RuntimeService: runtime.runtime.v1.RuntimeService };
  return loaded;
}
