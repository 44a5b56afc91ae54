import { currentIdempotencyKey } from '../../domain/idempotency.ts';
import { declareIncident } from '../../domain/incidents/create.ts';
import { readVisibleIncident } from '../../domain/incidents/cached-read.ts';
import { derived } from '../../domain/read-cache.ts';
import { listIncidents, loadDetails, type IncidentSort } from '../../domain/incidents/read.ts';
import { invalid } from '../../domain/errors.ts';
import { isValidId } from '../../lib/ids.ts';
import type { App } from '../app-type.ts';
import { IdParams } from '../schemas.ts';
import { presentRun } from './runs.present.ts';
import { CreateRunBody, ListRunsQuery } from './runs.schema.ts';
import type { Actor } from '../../domain/context.ts';
import { presentPage } from './paging.present.ts';
import { etagOf } from '../../domain/preconditions.ts';

const SORTS: IncidentSort[] = ['create_at', 'id', 'name', 'owner_user_id', 'team_id', 'end_at', 'status', 'last_status_update_at'];

/** `me` means the caller; anything else must be a valid id. */
function userFilter(actor: Actor, field: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value === 'me') return actor.userId;
  if (!isValidId(value)) throw invalid(field, `invalid query parameter ${field}: must be a 26-character id or "me"`);
  return value;
}

/** Turns the list query into the domain filter (shared by GET /runs and GET /runs/channels). */
export function parseRunFilter(actor: Actor, q: ListRunsQuery) {
  if (q.is_active !== undefined) throw invalid('is_active', 'invalid query parameter is_active: use statuses instead');
  const sort = (q.sort || 'create_at').toLowerCase() as IncidentSort;
  if (!SORTS.includes(sort)) throw invalid('sort', `invalid query parameter sort: must be one of ${SORTS.join(', ')}`);
  const direction = (q.direction || 'asc').toLowerCase();
  if (direction !== 'asc' && direction !== 'desc') throw invalid('direction', 'invalid query parameter direction: must be asc or desc');
  const wire = [...(q.statuses ?? []), ...(q.status ?? [])];
  const statuses: Array<'active' | 'resolved'> = wire.includes('all')
    ? []
    : [...new Set(wire.map((s): 'active' | 'resolved' => (s === 'InProgress' ? 'active' : 'resolved')))];
  const perPage = q.per_page === undefined || q.per_page <= 0 ? 1000 : Math.min(q.per_page, 1000);
  return {
    teamId: q.team_id || undefined,
    statuses,
    ownerUserId: userFilter(actor, 'owner_user_id', q.owner_user_id),
    participantId: userFilter(actor, 'participant_id', q.participant_id),
    participantOrFollowerId: userFilter(actor, 'participant_or_follower_id', q.participant_or_follower_id || q.participant_or_follower),
    playbookId: q.playbook_id || undefined,
    channelId: q.channel_id || undefined,
    searchTerm: q.search_term || undefined,
    activeGte: q.active_gte || undefined,
    activeLt: q.active_lt || undefined,
    startedGte: q.started_gte || undefined,
    startedLt: q.started_lt || undefined,
    sort,
    direction: direction as 'asc' | 'desc',
    page: Math.max(0, q.page ?? 0),
    perPage,
  };
}

export async function runsRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.get('/runs', { schema: { querystring: ListRunsQuery } }, async (request) => {
    const filter = parseRunFilter(request.actor, request.query);
    const { total, incidents } = await listIncidents(ctx.db, request.actor, filter);
    const details = await loadDetails(ctx.db, incidents);
    return presentPage(details.map(presentRun), total, filter.page, filter.perPage);
  });

  app.post('/runs', { schema: { body: CreateRunBody } }, async (request, reply) => {
    const body = request.body;
    const detail = await declareIncident(ctx, request.actor, {
      name: body.name,
      summary: body.summary ?? body.description,
      owner_user_id: body.owner_user_id,
      team_id: body.team_id,
      playbook_id: body.playbook_id,
      channel_id: body.channel_id,
      post_id: body.post_id,
      severity: body.severity,
      is_drill: body.is_drill,
      labels: body.labels,
    });
    // A repeat under an Idempotency-Key answers the run the first request made, as 200 (nothing new was created).
    const status = currentIdempotencyKey()?.replayed ? 200 : 201;
    return reply.code(status).header('Location', `/api/v0/runs/${detail.incident.id}`).send(presentRun(detail));
  });

  app.get('/runs/:id', { schema: { params: IdParams } }, async (request, reply) => {
    // Rendered once per version of the run and sent as bytes while current: the war room polls this.
    const entry = await readVisibleIncident(ctx, request.actor, request.params.id);
    const etag = etagOf(entry.detail.incident.version);
    return reply.type('application/json').header('etag', etag).send(derived(entry, 'playbooks-run-json', () => JSON.stringify(presentRun(entry.detail))));
  });
}

