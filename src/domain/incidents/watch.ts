import type { Actor, DomainContext } from '../context.ts';
import { visibleTo } from './visibility.ts';

/**
 * Which of these incidents `actor` may see now: the live event stream tells a browser only about those.
 * One query per change batch, with the same predicate every list uses.
 */
export async function visibleAmong(ctx: DomainContext, actor: Actor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('incidents')
    .select('id')
    .where('id', 'in', [...ids])
    .where((eb) => visibleTo(eb, actor))
    .execute();
  return rows.map((r) => r.id);
}
