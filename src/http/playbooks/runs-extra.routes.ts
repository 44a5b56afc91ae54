import { checklistSuggestions, itemSuggestions, runOwners, visibleRunOfChannel } from '../../domain/incidents/lookups.ts';
import { createIncident } from '../../domain/incidents/create.ts';
import { listIncidents, loadDetail } from '../../domain/incidents/read.ts';
import { InputError, invalid } from '../../domain/errors.ts';
import { isValidId } from '../../lib/ids.ts';
import type { App } from '../app-type.ts';
import { presentRun } from './runs.present.ts';
import { parseRunFilter } from './runs.routes.ts';
import { ListRunsQuery } from './runs.schema.ts';
import { AutocompleteQuery, ChannelParams, OwnersQuery, RunDialogBody } from './runs-extra.schema.ts';

function channelOf(query: AutocompleteQuery): string {
  const channelId = query.channel_id || query.channel_ID;
  if (!channelId) throw invalid('channel_id', 'query parameter channel_id is required');
  return channelId;
}

/** The dialog's `state` is the JSON the webapp put there when it opened the dialog: `{post_id, ...}`. */
function parseDialogState(state: string | undefined): { postId?: string } {
  if (!state) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(state);
  } catch {
    throw invalid('state', 'field state must be JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('state', 'field state must be a JSON object');
  const postId = (parsed as Record<string, unknown>).post_id;
  if (postId === undefined || postId === '') return {};
  if (!isValidId(postId)) throw invalid('state.post_id', 'field state.post_id must be a 26-character id');
  return { postId };
}

/** Static paths beside /runs/:id (registered before it; the router prefers static segments anyway). */
export async function runsExtraRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.get('/runs/owners', { schema: { querystring: OwnersQuery } }, async (request) => {
    return runOwners(ctx.db, request.actor, request.query.team_id || undefined);
  });

  app.get('/runs/channels', { schema: { querystring: ListRunsQuery } }, async (request) => {
    const { incidents } = await listIncidents(ctx.db, request.actor, parseRunFilter(request.actor, request.query));
    return incidents.map((i) => i.channel_id);
  });

  app.get('/runs/checklist-autocomplete', { schema: { querystring: AutocompleteQuery } }, async (request) => {
    return checklistSuggestions(ctx.db, request.actor, channelOf(request.query));
  });

  app.get('/runs/checklist-autocomplete-item', { schema: { querystring: AutocompleteQuery } }, async (request) => {
    return itemSuggestions(ctx.db, request.actor, channelOf(request.query));
  });

  app.get('/runs/channel/:channel_id', { schema: { params: ChannelParams } }, async (request) => {
    const run = await visibleRunOfChannel(ctx.db, request.actor, request.params.channel_id, true);
    return presentRun(await loadDetail(ctx.db, run));
  });

  app.post('/runs/dialog', { schema: { body: RunDialogBody } }, async (request, reply) => {
    const body = request.body;
    if (body.user_id !== request.actor.userId) throw invalid('user_id', 'field user_id must be the id of the caller');
    const { postId } = parseDialogState(body.state);
    try {
      const incident = await createIncident(ctx, request.actor, {
        name: body.submission.playbookRunName ?? '',
        summary: body.submission.playbookRunDescription,
        owner_user_id: request.actor.userId,
        team_id: body.team_id,
        playbook_id: body.submission.playbookID,
        post_id: postId,
      });
      return reply.code(201).header('Location', `/api/v0/runs/${incident.id}`).send();
    } catch (err) {
      // A dialog shows a bad name next to its field: 200 with `errors`, as Mattermost dialogs expect.
      if (err instanceof InputError && err.field === 'name') {
        return reply.code(200).send({ errors: { playbookRunName: `The run name ${err.reason}` } });
      }
      throw err;
    }
  });
}
