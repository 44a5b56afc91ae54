import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayModifyIncident, requireMayModify } from '../../src/domain/access.ts';
import type { IncidentRow } from '../../src/domain/incidents/types.ts';

// Who may change a run, as the Playbooks plugin decides it: admins and channel members always; otherwise
// team members of a public channel, when the run's playbook is public or they are among its members.

const user = { userId: 'u1', isAdmin: false };
const admin = { userId: 'a1', isAdmin: true };
const withPlaybook = { playbook_id: 'p1' } as IncidentRow;
const withoutPlaybook = { playbook_id: '' } as IncidentRow;
const facts = (over: Partial<Parameters<typeof mayModifyIncident>[2]> = {}) => ({
  inChannel: false,
  channelType: 'O',
  inTeam: true,
  playbookPublic: true,
  inPlaybook: false,
  ...over,
});

test('admins and members of the war-room channel may always change the run', () => {
  const closed = facts({ channelType: 'P', inTeam: false, playbookPublic: false });
  assert.equal(mayModifyIncident(admin, withPlaybook, closed), true);
  assert.equal(mayModifyIncident(user, withPlaybook, { ...closed, inChannel: true }), true);
});

test('outside the channel: only team members, only when the channel is public', () => {
  assert.equal(mayModifyIncident(user, withPlaybook, facts({ channelType: 'P' })), false);
  assert.equal(mayModifyIncident(user, withPlaybook, facts({ channelType: null })), false, 'a missing channel counts as closed');
  assert.equal(mayModifyIncident(user, withPlaybook, facts({ inTeam: false })), false);
  assert.equal(mayModifyIncident(user, withPlaybook, facts()), true);
});

test('a private playbook limits its public runs to its members; runs without one (or whose playbook is gone) are open', () => {
  assert.equal(mayModifyIncident(user, withPlaybook, facts({ playbookPublic: false })), false);
  assert.equal(mayModifyIncident(user, withPlaybook, facts({ playbookPublic: false, inPlaybook: true })), true);
  assert.equal(mayModifyIncident(user, withoutPlaybook, facts({ playbookPublic: false })), true);
  assert.equal(mayModifyIncident(user, withPlaybook, facts({ playbookPublic: null })), true);
});

test('requireMayModify: 403 when the facts say no or are missing for the actor; admins need none', () => {
  assert.throws(() => requireMayModify(user, withPlaybook, new Map()), /permission to modify this run/);
  assert.throws(() => requireMayModify(user, withPlaybook, new Map([['u1', facts({ inTeam: false })]])), /permission/);
  assert.doesNotThrow(() => requireMayModify(user, withPlaybook, new Map([['u1', facts()]])));
  assert.doesNotThrow(() => requireMayModify(admin, withPlaybook, new Map()));
});
