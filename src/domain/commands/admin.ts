import { newId } from '../../lib/ids.ts';
import { transaction } from '../../store/db.ts';
import { teamsRepo } from '../../store/teams.repo.ts';
import type { Actor, DomainContext } from '../context.ts';
import { conflict, forbidden, invalid, notFound } from '../errors.ts';
import { BUILTIN_TRIGGERS } from './builtins.ts';
import { openCommand, type SlashCommandRow } from './http-commands.ts';
import { outgoingUrlProblem } from '../../lib/urls.ts';

export interface CreateSlashCommandProps {
  trigger: string;
  url: string;
  method?: 'POST' | 'GET' | undefined;
  /** '' or absent: the command exists in every team. */
  team_id?: string | undefined;
  description?: string | undefined;
}

const TRIGGER = /^[a-z0-9_-]{1,64}$/;
const ADMINS_ONLY = 'only system admins can manage slash commands';

function checkTrigger(raw: string): string {
  if (raw.startsWith('/')) throw invalid('trigger', 'trigger must be given without the leading "/"');
  if (!TRIGGER.test(raw)) throw invalid('trigger', 'trigger must be 1-64 characters of a-z, 0-9, "_" and "-"');
  if (BUILTIN_TRIGGERS.has(raw)) throw invalid('trigger', `trigger "${raw}" is a built-in command and cannot be overridden`);
  return raw;
}

function checkUrl(raw: string): string {
  const problem = outgoingUrlProblem(raw);
  if (problem) throw invalid('url', `url ${problem}`);
  return raw;
}

/** Defines an HTTP slash command (Mattermost custom slash command); its token is generated here. */
export async function createSlashCommand(ctx: DomainContext, actor: Actor, props: CreateSlashCommandProps): Promise<SlashCommandRow> {
  if (!actor.isAdmin) throw forbidden(ADMINS_ONLY);
  const trigger = checkTrigger(props.trigger);
  const url = checkUrl(props.url);
  const method = props.method ?? 'POST';
  if (method !== 'POST' && method !== 'GET') throw invalid('method', 'method must be "POST" or "GET"');
  const teamId = props.team_id ?? '';
  const duplicate = () => conflict(`a command with trigger "${trigger}" already exists${teamId ? ' in this team' : ''}`, 'trigger');
  try {
    return await transaction(ctx.db, async (tx) => {
      if (teamId && !(await teamsRepo.byId(tx, teamId))) throw notFound('team not found');
      const taken = await tx
        .selectFrom('slash_commands')
        .select('id')
        .where('team_id', '=', teamId)
        .where('trigger', '=', trigger)
        .executeTakeFirst();
      if (taken) throw duplicate();
      const row: SlashCommandRow = {
        id: newId(),
        team_id: teamId,
        trigger,
        url,
        method,
        token: newId(),
        description: props.description ?? '',
        creator_id: actor.userId,
        create_at: ctx.clock.now(),
      };
      await tx.insertInto('slash_commands').values({ ...row, token: ctx.secrets.seal(row.token) }).execute();
      return row;
    });
  } catch (err) {
    // Two admins racing for one trigger: the unique index decides.
    if ((err as { code?: string }).code === '23505') throw duplicate();
    throw err;
  }
}

export async function listSlashCommands(ctx: DomainContext, actor: Actor, teamId?: string): Promise<SlashCommandRow[]> {
  if (!actor.isAdmin) throw forbidden(ADMINS_ONLY);
  let query = ctx.db.selectFrom('slash_commands').selectAll();
  if (teamId) query = query.where('team_id', '=', teamId);
  const rows = await query.orderBy('trigger').orderBy('team_id').execute();
  return rows.map((row) => openCommand(ctx, row));
}

export async function deleteSlashCommand(ctx: DomainContext, actor: Actor, id: string): Promise<void> {
  if (!actor.isAdmin) throw forbidden(ADMINS_ONLY);
  const deleted = await ctx.db.deleteFrom('slash_commands').where('id', '=', id).returning('id').executeTakeFirst();
  if (!deleted) throw notFound();
}
