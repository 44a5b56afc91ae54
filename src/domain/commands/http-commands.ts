import type { Selectable } from 'kysely';
import type { Executor } from '../../store/db.ts';
import type { SlashCommandsTable } from '../../store/schema.ts';
import type { DomainContext } from '../context.ts';
import { upstream } from '../errors.ts';
import type { ParsedCommand } from './registry.ts';

export type SlashCommandRow = Selectable<SlashCommandsTable>;

export const HTTP_COMMAND_TIMEOUT_MS = 5000;
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
 * query), `Authorization: Token <token>`, a 5 s limit, redirects not followed. Any failure is a 502 naming the
 * command. Runs outside any transaction: a slow endpoint must not hold the run's lock.
 */
export async function callHttpCommand(ctx: DomainContext, call: HttpCommandCall): Promise<HttpCommandReply> {
  const name = `/${call.command.trigger}`;
  const form = new URLSearchParams({
    channel_id: call.channelId,
    channel_name: call.channelName,
    command: name,
    response_url: '',
    team_domain: call.teamName,
    team_id: call.teamId,
    text: call.parsed.args,
    token: call.command.token,
    trigger_id: call.triggerId,
    user_id: call.userId,
    user_name: call.userName,
  });
  const headers: Record<string, string> = { Authorization: `Token ${call.command.token}`, Accept: 'application/json' };
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

  let response: Response;
  let raw: string;
  try {
    response = await ctx.fetch(target, {
      method: call.command.method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(HTTP_COMMAND_TIMEOUT_MS),
    });
    raw = await readLimited(response, MAX_REPLY_BYTES);
  } catch (err) {
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${HTTP_COMMAND_TIMEOUT_MS / 1000} s` : (err as Error).message;
    throw upstream(`the command "${name}" failed: ${why}`);
  }
  if (response.status < 200 || response.status > 299) {
    throw upstream(`the command "${name}" failed: its endpoint answered HTTP ${response.status}`);
  }
  return parseReply(name, response.headers.get('content-type') ?? '', raw);
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

async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new Error(`the reply is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
