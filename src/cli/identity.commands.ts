import type { Config } from '../config.ts';
import { SYSTEM_ACTOR } from '../domain/context.ts';
import { cliIssuedToken, cliTeam, cliTokenSummary, cliUser } from './present.ts';
import { parseCommand, required, requiredPositional, UsageError } from './args.ts';
import type { CliContext } from './context.ts';
import { prepareAccountCommand, prepareTeamList } from './accounts.commands.ts';
import { recordCliCall } from './audit.commands.ts';
import { firstStartNotice, signingSecretNotice } from './notice.ts';
import { resolveTeam, resolveUser } from './resolve.ts';

// The domain and the database driver load only once the command line is known to be valid: usage errors
// and --help answer without paying for them.
const identity = () => import('../domain/identity/identity.ts');

/** Prints `machine` as JSON with --json, else the human text. */
export function emit(json: boolean | undefined, machine: unknown, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(machine, null, 2)}\n` : `${human}\n`);
}

/** Ids a command named (its arguments) or created (what `fn` returns): the targets of its audit row. */
type Targets = Record<string, string>;

/**
 * Runs `fn` on a freshly opened database as the system actor, then closes it. The first-start notice goes to
 * stderr so that `--json` output on stdout stays parseable. A command that changes something names itself in
 * `audited`: it leaves an audit row whether it succeeds (exit 0) or is refused (exit 1).
 */
export async function withDatabase(
  config: Config,
  fn: (cli: CliContext) => Promise<Targets | void>,
  audited?: { command: string; targets: Targets },
): Promise<number> {
  const { openCliContext } = await import('./context.ts');
  const cli = await openCliContext(config);
  try {
    if (cli.bootstrapped) process.stderr.write(firstStartNotice(cli.bootstrapped, config.siteUrl));
    process.stderr.write(signingSecretNotice(cli.newSigningSecret));
    let created: Targets | void;
    try {
      created = await fn(cli);
    } catch (err) {
      if (audited) await recordCliCall(cli, audited.command, audited.targets, 1).catch(() => undefined); // keep the first error
      throw err;
    }
    if (audited) await recordCliCall(cli, audited.command, { ...audited.targets, ...created }, 0);
    return 0;
  } finally {
    await cli.audit.close();
    await cli.database.close();
  }
}

/** Subcommand dispatch shared by `user`, `team` and `token`: parse first, so usage errors never open the database. */
export type Prepared = (loadConfig: () => Config) => Promise<number>;

export function prepareUserCommand(args: string[]): Prepared {
  const [sub, ...rest] = args;
  const account = prepareAccountCommand(sub, rest);
  if (account) return account;
  if (sub !== 'create') throw new UsageError(sub ? `user: unknown subcommand "${sub}"` : 'user: missing subcommand (create, list, reset-password, deactivate)');
  const cmd = 'user create';
  const { values } = parseCommand(cmd, rest, {
    username: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    admin: { type: 'boolean' },
  });
  const username = required(cmd, values, 'username');
  const email = required(cmd, values, 'email');
  return (loadConfig) =>
    withDatabase(loadConfig(), async ({ ctx }) => {
      const { createUser } = await identity();
      const user = await createUser(ctx, SYSTEM_ACTOR, {
        username,
        email,
        password: values.password,
        is_admin: values.admin ?? false,
      });
      const access = values.password ? '' : `\nno password set: issue a token with "muster token create --user ${user.username}"`;
      emit(values.json, cliUser(user), `created ${user.is_admin ? 'system admin' : 'user'} ${user.username} (id ${user.id})${access}`);
      return { user_id: user.id };
    }, { command: cmd, targets: { username } });
}

export function prepareTeamCommand(args: string[]): Prepared {
  const [sub, ...rest] = args;
  if (sub === 'list') return prepareTeamList(rest);
  if (sub === 'create') {
    const cmd = 'team create';
    const { values } = parseCommand(cmd, rest, {
      name: { type: 'string' },
      'display-name': { type: 'string' },
      open: { type: 'boolean' },
      private: { type: 'boolean' },
    });
    if (values.open && values.private) throw new UsageError(`${cmd}: --open and --private exclude each other`);
    const name = required(cmd, values, 'name');
    const displayName = required(cmd, values, 'display-name');
    return (loadConfig) =>
      withDatabase(loadConfig(), async ({ ctx }) => {
        const { createTeam } = await identity();
        const team = await createTeam(ctx, SYSTEM_ACTOR, { name, display_name: displayName, type: values.open ? 'O' : 'I' });
        const kind = team.type === 'O' ? 'open' : 'invite only';
        emit(values.json, cliTeam(team), `created team ${team.name} "${team.display_name}" (id ${team.id}, ${kind})`);
        return { team_id: team.id };
      }, { command: cmd, targets: { team_name: name } });
  }
  if (sub === 'add-member') {
    const cmd = 'team add-member';
    const { values } = parseCommand(cmd, rest, { team: { type: 'string' }, user: { type: 'string' } });
    const teamRef = required(cmd, values, 'team');
    const userRef = required(cmd, values, 'user');
    return (loadConfig) =>
      withDatabase(loadConfig(), async ({ ctx }) => {
        const team = await resolveTeam(ctx.db, teamRef);
        const user = await resolveUser(ctx.db, userRef);
        const { addTeamMember } = await identity();
        const member = await addTeamMember(ctx, SYSTEM_ACTOR, { team_id: team.id, user_id: user.id });
        emit(values.json, member, `${user.username} is a member of team ${team.name}`);
        return { team_id: team.id, user_id: user.id };
      }, { command: cmd, targets: { team: teamRef, user: userRef } });
  }
  throw new UsageError(sub ? `team: unknown subcommand "${sub}"` : 'team: missing subcommand (create, add-member, list)');
}

export function prepareTokenCommand(args: string[]): Prepared {
  const [sub, ...rest] = args;
  if (sub === 'create') {
    const cmd = 'token create';
    const { values } = parseCommand(cmd, rest, { user: { type: 'string' }, description: { type: 'string' } });
    const userRef = required(cmd, values, 'user');
    return (loadConfig) =>
      withDatabase(loadConfig(), async ({ ctx }) => {
        const user = await resolveUser(ctx.db, userRef);
        const { createToken } = await identity();
        const issued = await createToken(ctx, SYSTEM_ACTOR, { user_id: user.id, description: values.description ?? '' });
        emit(
          values.json,
          cliIssuedToken(issued),
          `created token ${issued.id} for ${user.username}; it is shown only this once:\n${issued.token}`,
        );
        return { token_id: issued.id, user_id: user.id };
      }, { command: cmd, targets: { user: userRef } });
  }
  if (sub === 'revoke') {
    const cmd = 'token revoke';
    const { values, positionals } = parseCommand(cmd, rest, {}, 1);
    const tokenId = requiredPositional(cmd, positionals, 'token-id');
    return (loadConfig) =>
      withDatabase(loadConfig(), async ({ ctx }) => {
        const { revokeToken } = await identity();
        await revokeToken(ctx, SYSTEM_ACTOR, tokenId);
        emit(values.json, { status: 'OK', id: tokenId }, `revoked token ${tokenId}`);
      }, { command: cmd, targets: { token_id: tokenId } });
  }
  if (sub === 'list') {
    const cmd = 'token list';
    const { values } = parseCommand(cmd, rest, { user: { type: 'string' } });
    const userRef = required(cmd, values, 'user');
    return (loadConfig) =>
      withDatabase(loadConfig(), async ({ ctx }) => {
        const user = await resolveUser(ctx.db, userRef);
        const { listTokens } = await identity();
        const tokens = (await listTokens(ctx, SYSTEM_ACTOR, user.id)).map(cliTokenSummary);
        const lines = tokens.map(
          (t) => `${t.id}  ${t.is_active ? 'active ' : 'revoked'}  ${new Date(t.create_at).toISOString()}  ${t.description}`,
        );
        emit(values.json, tokens, lines.length > 0 ? lines.join('\n') : `${user.username} has no tokens`);
      });
  }
  throw new UsageError(sub ? `token: unknown subcommand "${sub}"` : 'token: missing subcommand (create, revoke, list)');
}
