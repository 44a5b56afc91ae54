import { forbidden, invalid, notFound } from '../../domain/errors.ts';
import { addTeamMember, createTeam } from '../../domain/identity/identity.ts';
import { teamsRepo } from '../../store/teams.repo.ts';
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

  // As in Mattermost: open teams are visible to every user, invite-only teams to their members and admins.
  app.get('/teams/:id', { schema: { params: IdParams } }, async (request) => {
    const team = await teamsRepo.byId(ctx.db, request.params.id);
    if (!team) throw notFound();
    const actor = request.actor;
    if (team.type !== 'O' && !actor.isAdmin && !(await teamsRepo.isMember(ctx.db, team.id, actor.userId))) {
      throw forbidden("You don't have permission to view this team.");
    }
    return presentTeam(team);
  });

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
