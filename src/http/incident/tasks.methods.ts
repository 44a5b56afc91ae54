import type { RpcRegistry } from './rpc.ts';

export const tasksMethods: RpcRegistry = {};
