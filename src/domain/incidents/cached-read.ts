import { incidentsRepo } from '../../store/incidents.repo.ts';
import { canViewIncident } from '../access.ts';
import type { Actor, DomainContext } from '../context.ts';
import { forbidden, notFound } from '../errors.ts';
import type { CachedIncident } from '../read-cache.ts';
import { loadDetail } from './read.ts';

/**
 * `getIncident` served from memory while nothing it depends on changed: the detail per incident, and the
 * view decision per (user, incident). Same errors: 404 for an unknown id, 403 when not the actor's to see.
 */
export async function readVisibleIncident(ctx: DomainContext, actor: Actor, id: string): Promise<CachedIncident> {
  const entry = ctx.cache.incidents.get(id) ?? (await loadEntry(ctx, id));
  const incident = entry.detail.incident;
  const scope = { incidentId: incident.id, channelId: incident.channel_id };
  const key = `${actor.userId}|${actor.isAdmin ? 'admin' : 'user'}|${id}`;
  let allowed = ctx.cache.access.get(key);
  if (allowed === undefined) {
    const stamp = ctx.cache.feed.stamp();
    allowed = await canViewIncident(ctx.db, actor, incident);
    ctx.cache.access.set(key, stamp, allowed, scope);
  }
  if (!allowed) throw forbidden("You don't have permission to view this run.");
  return entry;
}

async function loadEntry(ctx: DomainContext, id: string): Promise<CachedIncident> {
  // The stamp is taken before reading: a write that commits meanwhile leaves this entry stale, not wrong.
  const stamp = ctx.cache.feed.stamp();
  const incident = await incidentsRepo.byId(ctx.db, id);
  if (!incident) throw notFound();
  const entry: CachedIncident = { detail: await loadDetail(ctx.db, incident), derived: new Map() };
  ctx.cache.incidents.set(id, stamp, entry, { incidentId: incident.id, channelId: incident.channel_id });
  return entry;
}
