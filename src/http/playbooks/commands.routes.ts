import { createSlashCommand, deleteSlashCommand, listSlashCommands } from '../../domain/commands/admin.ts';
import type { SlashCommandRow } from '../../domain/commands/http-commands.ts';
import { runItemCommand } from '../../domain/commands/run-item.ts';
import type { Actor } from '../../domain/context.ts';
import type { App } from '../app-type.ts';
import { IdParams } from '../schemas.ts';
import { CreateCommandBody, ListCommandsQuery, RunItemParams } from './commands.schema.ts';

/** Admin view of an HTTP slash command; the token is shown so the endpoint's owner can verify calls. */
function presentCommand(c: SlashCommandRow) {
  return {
    id: c.id,
    token: c.token,
    trigger: c.trigger,
    url: c.url,
    method: c.method,
    team_id: c.team_id,
    description: c.description,
    creator_id: c.creator_id,
    create_at: c.create_at,
  };
}

export async function commandsRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  // The spec says PUT; every real client (webapp, Go client) sends POST.
  const runItem = { schema: { params: RunItemParams } };
  const handleRunItem = async (request: { actor: Actor; params: RunItemParams }) => {
    const { triggerId } = await runItemCommand(ctx, request.actor, {
      incidentId: request.params.id,
      checklist: request.params.checklist,
      item: request.params.item,
    });
    return { trigger_id: triggerId };
  };
  app.post('/runs/:id/checklists/:checklist/item/:item/run', runItem, handleRunItem);
  app.put('/runs/:id/checklists/:checklist/item/:item/run', runItem, handleRunItem);

  app.post('/commands', { schema: { body: CreateCommandBody } }, async (request, reply) => {
    const created = await createSlashCommand(ctx, request.actor, request.body);
    return reply.code(201).send(presentCommand(created));
  });

  app.get('/commands', { schema: { querystring: ListCommandsQuery } }, async (request) => {
    const rows = await listSlashCommands(ctx, request.actor, request.query.team_id || undefined);
    return rows.map(presentCommand);
  });

  app.delete('/commands/:id', { schema: { params: IdParams } }, async (request, reply) => {
    await deleteSlashCommand(ctx, request.actor, request.params.id);
    return reply.code(204).send();
  });
}
