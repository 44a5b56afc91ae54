import { invalid } from '../../domain/errors.ts';
import { archivePlaybook, createPlaybook, restorePlaybook, setAutofollow, updatePlaybook } from '../../domain/playbooks/commands.ts';
import { getPlaybook, listAutofollows, listPlaybooks, PLAYBOOK_SORTS, type PlaybookSort } from '../../domain/playbooks/queries.ts';
import type { PlaybookProps } from '../../domain/playbooks/types.ts';
import { etagOf } from '../../domain/preconditions.ts';
import type { App } from '../app-type.ts';
import { IdParams } from '../schemas.ts';
import { presentPlaybook } from './playbooks.present.ts';
import { AutofollowParams, ListPlaybooksQuery, PlaybookBody } from './playbooks.schema.ts';
import { presentPage } from './paging.present.ts';

const DEFAULT_PER_PAGE = 1000;

/** The body in domain terms: the seed's string form of `default_owner_enabled` becomes a boolean. */
function toProps(body: PlaybookBody): PlaybookProps {
  const { id: _id, default_owner_enabled: ownerEnabled, ...rest } = body;
  return { ...rest, default_owner_enabled: ownerEnabled === undefined ? undefined : ownerEnabled === true || ownerEnabled === 'true' };
}

function parseListQuery(q: ListPlaybooksQuery) {
  const sort = (q.sort || 'title').toLowerCase() as PlaybookSort;
  if (!PLAYBOOK_SORTS.includes(sort)) {
    throw invalid('sort', `bad parameter 'sort' (${q.sort}): must be one of ${PLAYBOOK_SORTS.join(', ')}`);
  }
  const direction = (q.direction || 'asc').toLowerCase();
  if (direction !== 'asc' && direction !== 'desc') {
    throw invalid('direction', `bad parameter 'direction' (${q.direction}): must be asc or desc`);
  }
  const perPage = typeof q.per_page === 'number' && q.per_page > 0 ? Math.min(q.per_page, DEFAULT_PER_PAGE) : DEFAULT_PER_PAGE;
  return {
    teamId: q.team_id || undefined,
    withArchived: q.with_archived ?? false,
    searchTerm: q.search_term || undefined,
    sort,
    direction: direction as 'asc' | 'desc',
    page: typeof q.page === 'number' ? q.page : 0,
    perPage,
  };
}

export async function playbooksRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.get('/playbooks', { schema: { querystring: ListPlaybooksQuery } }, async (request) => {
    const filter = parseListQuery(request.query);
    const { total, items } = await listPlaybooks(ctx.db, request.actor, filter);
    return presentPage(items.map(presentPlaybook), total, filter.page, filter.perPage);
  });

  app.post('/playbooks', { schema: { body: PlaybookBody } }, async (request, reply) => {
    if (request.body.id) throw invalid('id', 'a new playbook cannot have an id');
    const id = await createPlaybook(ctx, request.actor, toProps(request.body));
    return reply.code(201).header('Location', `/plugins/playbooks/api/v0/playbooks/${id}`).send({ id });
  });

  app.get('/playbooks/:id', { schema: { params: IdParams } }, async (request, reply) => {
    const detail = await getPlaybook(ctx.db, request.actor, request.params.id);
    return reply.header('etag', etagOf(detail.playbook.version)).send(presentPlaybook(detail));
  });

  app.put('/playbooks/:id', { schema: { params: IdParams, body: PlaybookBody } }, async (request, reply) => {
    await updatePlaybook(ctx, request.actor, request.params.id, toProps(request.body));
    return reply.code(200).send();
  });

  app.delete('/playbooks/:id', { schema: { params: IdParams } }, async (request, reply) => {
    await archivePlaybook(ctx, request.actor, request.params.id);
    return reply.code(204).send();
  });

  app.put('/playbooks/:id/restore', { schema: { params: IdParams } }, async (request, reply) => {
    await restorePlaybook(ctx, request.actor, request.params.id);
    return reply.code(200).send();
  });

  // The real server answers a bare array (the Go client decodes []string), not the spec's {total_count, items}.
  app.get('/playbooks/:id/autofollows', { schema: { params: IdParams } }, async (request) => {
    return listAutofollows(ctx.db, request.actor, request.params.id);
  });

  app.put('/playbooks/:id/autofollows/:userID', { schema: { params: AutofollowParams } }, async (request, reply) => {
    await setAutofollow(ctx, request.actor, request.params.id, request.params.userID, true);
    return reply.code(200).send();
  });

  app.delete('/playbooks/:id/autofollows/:userID', { schema: { params: AutofollowParams } }, async (request, reply) => {
    await setAutofollow(ctx, request.actor, request.params.id, request.params.userID, false);
    return reply.code(200).send();
  });
}
