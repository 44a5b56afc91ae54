// The store's types that facades may name (handles and row shapes): they import them from here, never from
// src/store/ (the lint rule in eslint.config.js enforces it), so the domain decides what the outside sees.
export type { Db, Executor, Tx } from '../store/db.ts';
export type { UserRow } from '../store/users.repo.ts';
export type { TeamRow } from '../store/teams.repo.ts';
export type { ChannelRow, PostRow } from '../store/channels.repo.ts';
export type { ChecklistTemplate } from '../store/schema.ts';
export type { Database } from '../store/db.ts';
export type { SubscriptionRow } from '../store/webhook-subscriptions.repo.ts';
export type { ChangeFeed, ChangeSet } from '../store/changes.ts';
