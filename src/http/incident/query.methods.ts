import type { RpcRegistry } from './rpc.ts';

export const queryMethods: RpcRegistry = {};
