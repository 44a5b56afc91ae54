import { notFound } from '../../domain/errors.ts';
import { usersRepo, teamsRepo } from '../../store/users.repo.ts';
import type { App } from '../server.ts';
import { presentTeam, presentUser } from './users.present.ts';

export async function usersRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.get('/users/me', async (request) => {
    const user = await usersRepo.byId(ctx.db, request.actor.userId);
    if (!user) throw notFound('user not found');
    return presentUser(user);
  });

  app.get('/users/me/teams', async (request) => {
    const teams = await teamsRepo.forUser(ctx.db, request.actor.userId);
    return teams.map(presentTeam);
  });
}
