import { createPlaybook, createRun, PLAYBOOKS, RPC, type Member } from './api.ts';

/** Number of timeline events of a run, from GET /runs/{id}. */
export async function timelineLength(member: Member, runId: string): Promise<number> {
  const run = await member.api.ok<{ timeline_events: unknown[] }>('GET', `${PLAYBOOKS}/runs/${runId}`);
  return run.timeline_events.length;
}

/**
 * A run with `items` checklist items and exactly `events` timeline events, written through the API: every item
 * checked, a status update for every tenth event, notes for the rest.
 */
export async function incidentWithHistory(member: Member, name: string, items: number, events: number): Promise<string> {
  const playbookId = await createPlaybook(member, `${name} playbook`, items);
  const runId = await createRun(member, name, playbookId);
  for (let i = 0; i < items; i++) {
    await member.api.ok('PUT', `${PLAYBOOKS}/runs/${runId}/checklists/0/item/${i}/state`, { new_state: 'closed' });
  }
  let have = await timelineLength(member, runId);
  for (let n = 0; have < events; n++, have++) {
    if (n % 10 === 0) {
      await member.api.ok('POST', `${PLAYBOOKS}/runs/${runId}/status`, { message: `Status update ${n}: still investigating`, reminder: 0 });
    } else {
      await member.api.ok('POST', `${RPC}/ActivityService.AddActivity`, {
        incidentID: runId,
        activityKind: 'userNote',
        body: `Note ${n}: checked the dashboards, error rate is flat`,
      });
    }
  }
  const final = await timelineLength(member, runId);
  if (final !== events) throw new Error(`the fixture run has ${final} timeline events, wanted ${events}`);
  return runId;
}
