import type { Selectable } from 'kysely';
import type { Executor } from '../../store/db.ts';
import type { SlashCommandsTable } from '../../store/schema.ts';
import type { DomainContext } from '../context.ts';
import { upstream } from '../errors.ts';
import type { ParsedCommand } from './registry.ts';

export type SlashCommandRow = Selectable<SlashCommandsTable>;

/** Mattermost's post limit is 16383 characters; a reply far larger than that is not a slash-command reply. */
const MAX_REPLY_BYTES = 256 * 1024;

/** The command with this trigger for the team; a team's own command wins over a global one (team_id ''). */
export async function slashCommandFor(ex: Executor, teamId: string, trigger: string): Promise<SlashCommandRow | undefined> {
  const rows = await ex
    .selectFrom('slash_commands')
    .selectAll()
    .where('trigger', '=', trigger)
    .where('team_id', 'in', teamId ? [teamId, ''] : [''])
    .execute();
  return rows.find((r) => r.team_id === teamId) ?? rows[0];
}

/** The command with its token opened (stored sealed, see secret-box.ts). */
export function openCommand(ctx: DomainContext, row: SlashCommandRow): SlashCommandRow {
  return { ...row, token: ctx.secrets.open(row.token) };
}

/** Who runs the command, and where: the fields Mattermost sends to a custom slash command. */
export interface HttpCommandCall {
  command: SlashCommandRow;
  parsed: ParsedCommand;
  triggerId: string;
  channelId: string;
  channelName: string;
  teamId: string;
  teamName: string;
  userId: string;
  userName: string;
}

export interface HttpCommandReply {
  text: string;
  responseType: string;
}

/**
 * Calls an admin-defined command the way Mattermost calls a custom slash command: a form (POST body or GET
 * query), `Authorization: Token <token>`, the outbound timeout (5 s by default), redirects not followed. It
 * goes through the SSRF guard like every outbound request: whoever runs the checklist item, the server
 * dials only public addresses or what MUSTER_OUTBOUND_ALLOWLIST names. Any failure is a 502 naming the
 * command. Runs outside any transaction: a slow endpoint must not hold the run's lock.
 */
export async function callHttpCommand(ctx: DomainContext, call: HttpCommandCall): Promise<HttpCommandReply> {
  const name = `/${call.command.trigger}`;
  const token = ctx.secrets.open(call.command.token);
  const form = new URLSearchParams({
    channel_id: call.channelId,
    channel_name: call.channelName,
    command: name,
    response_url: '',
    team_domain: call.teamName,
    team_id: call.teamId,
    text: call.parsed.args,
    token,
    trigger_id: call.triggerId,
    user_id: call.userId,
    user_name: call.userName,
  });
  const headers: Record<string, string> = { Authorization: `Token ${token}`, Accept: 'application/json' };
  let target = call.command.url;
  let body: string | undefined;
  if (call.command.method === 'GET') {
    const url = new URL(call.command.url);
    for (const [key, value] of form) url.searchParams.append(key, value);
    target = url.toString();
  } else {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = form.toString();
  }
  const res = await ctx.outbound.send(target, { method: call.command.method, headers, body, maxResponseBytes: MAX_REPLY_BYTES, keepBytes: MAX_REPLY_BYTES });
  if (res.errorClass === 'http_3xx' || res.errorClass === 'http_4xx' || res.errorClass === 'http_5xx') {
    throw upstream(`the command "${name}" failed: its endpoint answered HTTP ${res.statusCode}`);
  }
  if (res.errorClass) throw upstream(`the command "${name}" failed (${res.errorClass}): ${res.error}`);
  return parseReply(name, res.headers['content-type'] ?? '', res.body);
}

function parseReply(name: string, contentType: string, raw: string): HttpCommandReply {
  if (!contentType.toLowerCase().startsWith('application/json')) return { text: raw, responseType: '' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw upstream(`the command "${name}" failed: its endpoint answered invalid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw upstream(`the command "${name}" failed: its endpoint answered JSON that is not an object`);
  }
  const { text, response_type: responseType } = parsed as Record<string, unknown>;
  return { text: typeof text === 'string' ? text : '', responseType: typeof responseType === 'string' ? responseType : '' };
}
