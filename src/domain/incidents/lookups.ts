// Read-only lookups behind the `/playbook` command's autocomplete and the webapp's run pickers.
import type { Executor } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { usersRepo } from '../../store/users.repo.ts';
import { canViewIncident } from '../access.ts';
import type { Actor } from '../context.ts';
import { forbidden, notFound } from '../errors.ts';
import { listIncidents } from './read.ts';
import type { IncidentRow } from './types.ts';

/** A channel may hold several runs (Playbooks ≥ 7.7): the newest active one, else the newest. */
async function runOfChannel(ex: Executor, channelId: string): Promise<IncidentRow | undefined> {
  const runs = await incidentsRepo.byChannel(ex, channelId);
  const newestFirst = [...runs].reverse();
  return newestFirst.find((r) => r.status === 'active') ?? newestFirst[0];
}

/**
 * The run in a channel, if the actor may see it. `hide` turns "not allowed" into "not found" (GET
 * /runs/channel/{id} must not reveal that a run exists); otherwise it is a 403.
 */
export async function visibleRunOfChannel(ex: Executor, actor: Actor, channelId: string, hide: boolean): Promise<IncidentRow> {
  const run = await runOfChannel(ex, channelId);
  if (!run) throw notFound();
  if (!(await canViewIncident(ex, actor, run))) throw hide ? notFound() : forbidden("You don't have permission to view this run.");
  return run;
}

export interface Suggestion {
  item: string;
  hint: string;
  helptext: string;
}

/** `/playbook check <c>`: one suggestion per checklist of the channel's run. */
export async function checklistSuggestions(ex: Executor, actor: Actor, channelId: string): Promise<Suggestion[]> {
  const run = await visibleRunOfChannel(ex, actor, channelId, false);
  const lists = await incidentsRepo.checklists(ex, run.id);
  return lists.map((list, c) => ({ item: String(c), hint: `"${list.title}"`, helptext: '' }));
}

/** `/playbook check <c> <i>`: one suggestion per item of every checklist of the channel's run. */
export async function itemSuggestions(ex: Executor, actor: Actor, channelId: string): Promise<Suggestion[]> {
  const run = await visibleRunOfChannel(ex, actor, channelId, false);
  const lists = await incidentsRepo.checklists(ex, run.id);
  return lists.flatMap((list, c) => list.items.map((item, i) => ({ item: `${c} ${i}`, hint: item.title, helptext: '' })));
}

export interface RunOwner {
  user_id: string;
  username: string;
  first_name: string;
  last_name: string;
  nickname: string;
}

const OWNER_PAGE = 1000;

/** Distinct owners of the runs the actor can see (optionally in one team), by username. */
export async function runOwners(ex: Executor, actor: Actor, teamId: string | undefined): Promise<RunOwner[]> {
  const ownerIds = new Set<string>();
  for (let page = 0; ; page++) {
    const { total, incidents } = await listIncidents(ex, actor, {
      teamId,
      sort: 'id',
      direction: 'asc',
      page,
      perPage: OWNER_PAGE,
    });
    for (const incident of incidents) ownerIds.add(incident.owner_user_id);
    if ((page + 1) * OWNER_PAGE >= total || incidents.length === 0) break;
  }
  const users = await usersRepo.byIds(ex, [...ownerIds]);
  return users
    .map((u) => ({ user_id: u.id, username: u.username, first_name: u.first_name, last_name: u.last_name, nickname: u.nickname }))
    .sort((a, b) => a.username.localeCompare(b.username));
}
