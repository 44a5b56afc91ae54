// Issue 14: domain errors carry no wire names. Each facade names the domain's fields its own way in one
// place (src/http/field-names.ts); the domain's messages hold only the reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { invalidInput } from '../../src/domain/errors.ts';
import { toWireError } from '../../src/http/errors.ts';
import { fieldNamingOf } from '../../src/http/field-names.ts';

const DOMAIN = path.resolve(import.meta.dirname, '../../src/domain');
/** Request field names of the RPC (Go's initialisms), RPC method names and Playbooks' own noun. */
const WIRE = /\b(taskID|activityItemID|userID|incidentID|fieldUUID|keyUUID|valueUUID|selectOptionUUID|statusID|severityID|nextValue|assignToUserID|displayLabel|roleID|hookID|eventName|incidentType|maxPeople)\b|\bquery\.limit\b|(?<!\$\{)\brole\.name\b|playbook run|\b[A-Z]\w+Service\.[A-Z]\w+/;
const ERROR_CALL = /\b(invalid|invalidInput|conflict|notFound|forbidden|unprocessable)\(([^]*?)\);/g;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('no error the domain throws names a wire field, an RPC method or a "playbook run"', () => {
  const found: string[] = [];
  for (const file of sources(DOMAIN)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(ERROR_CALL)) {
      if (WIRE.test(m[2]!)) found.push(`${path.relative(DOMAIN, file)}:${text.slice(0, m.index).split('\n').length}: ${m[0].slice(0, 120)}`);
    }
  }
  assert.deepEqual(found, []);
});

const request = (url: string, method?: string) => ({ url, params: method ? { method } : {} }) as unknown as FastifyRequest;
const RPC_URL = '/api/plugins/grafana-irm-app/resources/api/v1/';

test('each facade names the same domain field its own way, with its own hints', () => {
  const blank = invalidInput('name', 'must not be blank');
  assert.equal(toWireError(blank, fieldNamingOf(request(`${RPC_URL}IncidentsService.CreateIncident`, 'IncidentsService.CreateIncident'))).message, 'invalid field title: must not be blank');
  assert.equal(toWireError(blank, fieldNamingOf(request('/plugins/playbooks/api/v0/runs'))).message, 'invalid field name: must not be blank');
  const hook = request('/api/plugins/grafana-incident-app/resources/api/v1/incoming-webhooks/grafana.incident.create');
  assert.equal(toWireError(blank, fieldNamingOf(hook)).message, 'invalid query parameter title: must not be blank');
  assert.equal(toWireError(blank).message, 'invalid field name: must not be blank', 'no facade: the domain name');

  const assignee = invalidInput('assignee', 'unknown user x');
  assert.equal(toWireError(assignee, fieldNamingOf(request(`${RPC_URL}v1TasksService.AddTask`, 'v1TasksService.AddTask'))).field, 'assignToUserID');
  assert.equal(toWireError(assignee, fieldNamingOf(request(`${RPC_URL}TasksService.UpdateTaskUser`, 'TasksService.UpdateTaskUser'))).field, 'userID');

  const labelKey = invalidInput('field_id', 'Team is a label key', 'assign_label');
  assert.equal(
    toWireError(labelKey, fieldNamingOf(request(`${RPC_URL}FieldsService.RecordFieldValue`, 'FieldsService.RecordFieldValue'))).message,
    'invalid field fieldUUID: Team is a label key; use IncidentsService.AssignLabel',
  );
  assert.equal(toWireError(labelKey, fieldNamingOf(request('/plugins/playbooks/api/v0/runs'))).message, 'invalid field field_id: Team is a label key');
});
