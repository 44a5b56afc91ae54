import { createHash } from 'node:crypto';
import { isValidId } from '../../lib/ids.ts';
import { invalidInput } from '../errors.ts';
import type { SortType } from './order.ts';

/** Where the previous page ended: its last row's sort value and id (keyset paging). */
export interface CursorPosition {
  value: string | number | boolean;
  id: string;
}

/** The domain's name of a page cursor (each facade names it its own way). */
export const CURSOR_FIELD = 'cursor';

/** A short fingerprint of everything that decides a query's rows and order (the limit may change between pages). */
export function queryFingerprint(shape: unknown): string {
  return createHash('sha256').update(JSON.stringify(shape)).digest('base64url').slice(0, 16);
}

/** Opaque to clients: base64url of [fingerprint, sort value, id]. */
export function encodeCursor(fingerprint: string, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([fingerprint, position.value, position.id])).toString('base64url');
}

const TYPE_OF: Record<SortType, string> = { bigint: 'number', text: 'string', boolean: 'boolean' };

export function decodeCursor(token: string, fingerprint: string, type: SortType): CursorPosition {
  const garbage = () => invalidInput(CURSOR_FIELD, 'not a cursor returned by this API; send "" for the first page');
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw garbage();
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw garbage();
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw garbage();
  const [hash, value, id] = decoded as unknown[];
  if (typeof hash !== 'string' || !isValidId(id)) throw garbage();
  if (hash !== fingerprint) {
    throw invalidInput(CURSOR_FIELD, 'the cursor belongs to a different query; send the same query again, or "" for the first page');
  }
  if (typeof value !== TYPE_OF[type] || (type === 'bigint' && !Number.isSafeInteger(value))) throw garbage();
  return { value: value as CursorPosition['value'], id };
}
