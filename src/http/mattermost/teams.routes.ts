import { invalid } from '../../domain/errors.ts';
import { getVisibleTeam } from '../../domain/identity/directory.ts';
import { addTeamMember, createTeam } from '../../domain/identity/identity.ts';
import type { App } from '../app-type.ts';
import { IdParams } from '../schemas.ts';
import { presentTeam, presentTeamMember } from './users.present.ts';
import { duplicatesAsBadRequest } from './users.routes.ts';
import { AddTeamMemberBody, CreateTeamBody, TeamIdParams } from './users.schema.ts';

export async function teamsRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.post('/teams', { schema: { body: CreateTeamBody } }, async (request, reply) => {
    const body = request.body;
    const team = await duplicatesAsBadRequest(() =>
      createTeam(ctx, request.actor, { name: body.name, display_name: body.display_name, type: body.type }),
    );
    return reply.code(201).send(presentTeam(team));
  });

  app.get('/teams/:id', { schema: { params: IdParams } }, async (request) => presentTeam(await getVisibleTeam(ctx.db, request.actor, request.params.id)));

  app.post(
    '/teams/:team_id/members',
    { schema: { params: TeamIdParams, body: AddTeamMemberBody } },
    async (request, reply) => {
      if (request.body.team_id !== request.params.team_id) {
        throw invalid('team_id', 'invalid field team_id: must equal the team id in the path');
      }
      const member = await addTeamMember(ctx, request.actor, {
        team_id: request.params.team_id,
        user_id: request.body.user_id,
      });
      return reply.code(201).send(presentTeamMember(member));
    },
  );
}
