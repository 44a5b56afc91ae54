import type { RpcRegistry } from './rpc.ts';

export const rolesMethods: RpcRegistry = {};
