import { SYSTEM_ACTOR } from '../domain/context.ts';
import { parseCommand, required } from './args.ts';
import { emit, withDatabase, type Prepared } from './identity.commands.ts';
import { cliTeam, cliUser } from './present.ts';
import { resolveUser } from './resolve.ts';

const admin = () => import('../domain/identity/account-admin.ts');

/** `muster user list | reset-password | deactivate`, as the system admin. Undefined for another subcommand. */
export function prepareAccountCommand(sub: string | undefined, rest: string[]): Prepared | undefined {
  switch (sub) {
    case 'list': {
      const { values } = parseCommand('user list', rest, {});
      return (config) =>
        withDatabase(config(), async ({ ctx }) => {
          const users = (await (await admin()).listAllUsers(ctx, SYSTEM_ACTOR)).filter((u) => !u.is_bot);
          const lines = users.map((u) => `${u.id}  ${u.username.padEnd(22)}  ${u.is_admin ? 'admin' : 'user '}  ${u.delete_at ? 'deactivated' : 'active'}  ${u.email}`);
          emit(values.json, users.map((u) => ({ ...cliUser(u), active: u.delete_at === 0 })), lines.join('\n'));
        });
    }
    case 'reset-password': {
      const cmd = 'user reset-password';
      const { values } = parseCommand(cmd, rest, { user: { type: 'string' }, password: { type: 'string' } });
      const ref = required(cmd, values, 'user');
      return (config) =>
        withDatabase(config(), async ({ ctx }) => {
          const user = await resolveUser(ctx.db, ref);
          const { password } = await (await admin()).resetPassword(ctx, SYSTEM_ACTOR, user.id, values.password);
          const shown = values.password ? '' : `; the new password is shown only this once:\n${password}`;
          emit(values.json, { ...cliUser(user), ...(values.password ? {} : { password }) }, `password of ${user.username} reset, their sessions ended${shown}`);
          return { user_id: user.id };
        }, { command: cmd, targets: { user: ref } });
    }
    case 'deactivate': {
      const cmd = 'user deactivate';
      const { values } = parseCommand(cmd, rest, { user: { type: 'string' } });
      const ref = required(cmd, values, 'user');
      return (config) =>
        withDatabase(config(), async ({ ctx }) => {
          const user = await resolveUser(ctx.db, ref);
          const done = await (await admin()).deactivateUser(ctx, SYSTEM_ACTOR, user.id);
          emit(values.json, { ...cliUser(done), active: false }, `${done.username} deactivated: their sessions and tokens no longer work`);
          return { user_id: done.id };
        }, { command: cmd, targets: { user: ref } });
    }
    default:
      return undefined;
  }
}

/** `muster team list`. */
export function prepareTeamList(rest: string[]): Prepared {
  const { values } = parseCommand('team list', rest, {});
  return (config) =>
    withDatabase(config(), async ({ ctx }) => {
      const teams = await (await admin()).listAllTeams(ctx, SYSTEM_ACTOR);
      emit(values.json, teams.map(cliTeam), teams.map((t) => `${t.id}  ${t.name.padEnd(22)}  ${t.type === 'O' ? 'open' : 'invite only'}  "${t.display_name}"`).join('\n'));
    });
}
