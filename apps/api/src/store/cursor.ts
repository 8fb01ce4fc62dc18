import { InvalidCursorError } from './errors.js';

/**
 * A todo list cursor: the last row's position (`created_at.seq`, the row's insertion order as a
 * tie-break), base64url: opaque to clients.
 */
export const encodeCursor = (createdAt: number, seq: number): string =>
  Buffer.from(`${createdAt}.${seq}`).toString('base64url');

/** The position a cursor names; throws `InvalidCursorError` for one this API never handed out. */
export function decodeCursor(cursor: string): [createdAt: number, seq: number] {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidCursorError();
  return [Number(match[1]), Number(match[2])];
}
