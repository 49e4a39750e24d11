import { describe, expect, it } from 'vitest';
import { pageOf } from './pagination';

const items = (...ids: string[]) => ids.map((id) => ({ id }));
const ids = (p: { items: unknown[] }) => p.items.map((i) => (i as { id: string }).id);

describe('pageOf', () => {
  it('walks a list once, page by page', () => {
    const all = items('a', 'b', 'c', 'd', 'e');
    const first = pageOf(all, { limit: 2, after: null });
    expect(ids(first)).toEqual(['a', 'b']);
    const cursor = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString()) as { id: string; i: number };
    const second = pageOf(all, { limit: 2, after: cursor });
    expect(ids(second)).toEqual(['c', 'd']);
  });

  it('an item deleted between two pages (the cursor item itself) skips nothing that followed it', () => {
    const first = pageOf(items('a', 'b', 'c', 'd', 'e'), { limit: 2, after: null });
    const cursor = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString()) as { id: string; i: number };
    expect(cursor.id).toBe('b');
    expect(ids(pageOf(items('a', 'c', 'd', 'e'), { limit: 2, after: cursor }))).toEqual(['c', 'd']);
  });
});
