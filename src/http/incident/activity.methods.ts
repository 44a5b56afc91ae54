import type { RpcRegistry } from './rpc.ts';

export const activityMethods: RpcRegistry = {};
