import { channelsRepo, type ChannelRow } from '../store/channels.repo.ts';
import type { Executor } from '../store/db.ts';
import { incidentsRepo, type WriteFacts } from '../store/incidents.repo.ts';
import { playbooksRepo, type PlaybookRow } from '../store/playbooks.repo.ts';
import { teamsRepo } from '../store/teams.repo.ts';
import type { Actor } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import type { IncidentRow } from './incidents/types.ts';

/**
 * Permission policies (playbooks-api notes §4, the 2022 model):
 * - a playbook is visible to system admins, and to team members when it is public or they are members;
 * - an incident is visible to admins, its participants and followers, and to team members who can see
 *   its playbook (runs without a playbook count as public);
 * - an incident may be changed by admins, its participants, and team members who can see it when its
 *   channel is public.
 */
export async function canViewPlaybook(ex: Executor, actor: Actor, playbook: PlaybookRow): Promise<boolean> {
  if (actor.isAdmin) return true;
  if (!(await teamsRepo.isMember(ex, playbook.team_id, actor.userId))) return false;
  return playbook.public || (await playbooksRepo.isMember(ex, playbook.id, actor.userId));
}

async function teamMemberWithPlaybookAccess(ex: Executor, actor: Actor, incident: IncidentRow): Promise<boolean> {
  if (!(await teamsRepo.isMember(ex, incident.team_id, actor.userId))) return false;
  if (!incident.playbook_id) return true;
  const playbook = await playbooksRepo.byId(ex, incident.playbook_id);
  if (!playbook) return true;
  return playbook.public || (await playbooksRepo.isMember(ex, playbook.id, actor.userId));
}

export async function canViewIncident(ex: Executor, actor: Actor, incident: IncidentRow): Promise<boolean> {
  if (actor.isAdmin) return true;
  if (await channelsRepo.isMember(ex, incident.channel_id, actor.userId)) return true;
  const followers = await incidentsRepo.followerIds(ex, incident.id);
  if (followers.includes(actor.userId)) return true;
  return teamMemberWithPlaybookAccess(ex, actor, incident);
}

export async function canModifyIncident(ex: Executor, actor: Actor, incident: IncidentRow): Promise<boolean> {
  if (actor.isAdmin) return true;
  const read = await incidentsRepo.withWriteFacts(ex, incident.id, [actor.userId], { lock: false });
  const facts = read?.facts.get(actor.userId);
  return facts !== undefined && mayModifyIncident(actor, incident, facts);
}

/** Loads an incident the actor may see: 404 when it does not exist, 403 when it is not theirs to see. */
export async function requireVisibleIncident(ex: Executor, actor: Actor, id: string): Promise<IncidentRow> {
  const incident = await incidentsRepo.byId(ex, id);
  if (!incident) throw notFound();
  if (!(await canViewIncident(ex, actor, incident))) throw forbidden("You don't have permission to view this run.");
  return incident;
}

/** The modify policy, decided from facts read in one statement with the incident (incidentsRepo.withWriteFacts). */
export function mayModifyIncident(actor: Actor, incident: IncidentRow, facts: WriteFacts): boolean {
  if (actor.isAdmin || facts.inChannel) return true;
  if (facts.channelType !== 'O' || !facts.inTeam) return false;
  // Runs without a playbook (or whose playbook is gone) count as public.
  if (!incident.playbook_id || facts.playbookPublic === null) return true;
  return facts.playbookPublic || facts.inPlaybook;
}

/** 403 unless the actor may change the incident, judged from the facts read beside its lock. */
export function requireMayModify(actor: Actor, incident: IncidentRow, facts: Map<string, WriteFacts>): void {
  if (actor.isAdmin) return;
  const known = facts.get(actor.userId);
  if (!known || !mayModifyIncident(actor, incident, known)) throw forbidden("You don't have permission to modify this run.");
}

/**
 * Locks an incident for writing after checking the actor may change it, in one statement. Call inside a
 * transaction. The permission facts are those at the statement's start (a write racing a membership change
 * lands on either side of it, as with any check-then-write); the incident row is the locked, latest one.
 */
export async function lockIncidentForWrite(ex: Executor, actor: Actor, id: string): Promise<IncidentRow> {
  const locked = await incidentsRepo.withWriteFacts(ex, id, [actor.userId], { lock: true });
  if (!locked) throw notFound();
  requireMayModify(actor, locked.incident, locked.facts);
  return locked.incident;
}

/**
 * Mattermost's read_channel rule: admins, channel members, and (for public channels) members of its team.
 * 404 for an unknown id, 403 when it exists but is not the caller's to read.
 */
export async function requireReadableChannel(ex: Executor, actor: Actor, id: string): Promise<ChannelRow> {
  const channel = await channelsRepo.byId(ex, id);
  if (!channel) throw notFound();
  if (actor.isAdmin || (await channelsRepo.isMember(ex, channel.id, actor.userId))) return channel;
  if (channel.type === 'O' && (await teamsRepo.isMember(ex, channel.team_id, actor.userId))) return channel;
  throw forbidden("You don't have permission to read this channel.");
}
