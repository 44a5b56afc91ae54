import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { conflict, DomainError, forbidden, invalid, notFound, unauthorized, upstream } from '../../src/domain/errors.ts';
import { ID_PATTERN, playbooksErrorBody, rpcErrorBody, toWireError } from '../../src/http/errors.ts';

/** What Fastify throws when ajv rejects a request part. */
function validationError(context: string, issue: Record<string, unknown>) {
  return Object.assign(new Error('ajv said no'), {
    statusCode: 400,
    code: 'FST_ERR_VALIDATION',
    validation: [{ instancePath: '', params: {}, ...issue }],
    validationContext: context,
  });
}

function fastifyError(code: string, statusCode: number, message = 'fastify said no') {
  return Object.assign(new Error(message), { code, statusCode });
}

describe('toWireError', () => {
  test('maps every domain error code to its status, keeping the message and field', () => {
    const cases: Array<[DomainError, number]> = [
      [unauthorized(), 401],
      [forbidden('no'), 403],
      [notFound(), 404],
      [invalid('name', 'name is required'), 400],
      [conflict('taken', 'username'), 409],
      [new DomainError('too_large', 'too big'), 413],
      [new DomainError('unavailable', 'later'), 503],
      [upstream('the slash command failed'), 502],
    ];
    for (const [err, status] of cases) {
      const wire = toWireError(err);
      assert.equal(wire.status, status, err.code);
      assert.equal(wire.message, err.message);
      assert.equal(wire.field, err.field);
    }
    assert.deepEqual(toWireError(notFound()), { status: 404, message: 'Not found', field: undefined });
  });

  test('an ajv "required" issue names the missing field', () => {
    const wire = toWireError(validationError('body', { keyword: 'required', params: { missingProperty: 'owner_user_id' } }));
    assert.deepEqual(wire, { status: 400, message: 'invalid field owner_user_id: is required', field: 'owner_user_id' });
  });

  test('a nested ajv issue names the path with dots', () => {
    const wire = toWireError(
      validationError('body', { instancePath: '/checklists/0/items/2/title', keyword: 'type', message: 'must be string' }),
    );
    assert.equal(wire.status, 400);
    assert.equal(wire.field, 'checklists.0.items.2.title');
    assert.equal(wire.message, 'invalid field checklists.0.items.2.title: must be string');
  });

  test('id pattern and enum issues get readable messages', () => {
    const id = toWireError(validationError('params', { instancePath: '/id', keyword: 'pattern', params: { pattern: ID_PATTERN } }));
    assert.equal(id.message, 'invalid path parameter id: must be a 26-character id');
    const other = toWireError(validationError('body', { instancePath: '/x', keyword: 'pattern', params: { pattern: '^a$' }, message: 'must match pattern "^a$"' }));
    assert.equal(other.message, 'invalid field x: must match pattern "^a$"');
    const enumIssue = toWireError(
      validationError('querystring', { instancePath: '/sort', keyword: 'enum', params: { allowedValues: ['asc', 'desc'] } }),
    );
    assert.equal(enumIssue.message, 'invalid query parameter sort: must be one of "asc", "desc"');
    assert.equal(enumIssue.field, 'sort');
  });

  test('an issue about the whole part names the part', () => {
    const wire = toWireError(validationError('body', { keyword: 'type', message: 'must be object' }));
    assert.equal(wire.field, 'body');
    assert.equal(wire.message, 'invalid field body: must be object');
    const noMessage = toWireError(validationError('body', { instancePath: '/a', keyword: 'custom' }));
    assert.equal(noMessage.message, 'invalid field a: is invalid');
  });

  test('Fastify body errors: too large, wrong media type, empty, invalid JSON', () => {
    assert.equal(toWireError(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413)).status, 413);
    assert.equal(toWireError(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415)).status, 415);
    const empty = toWireError(fastifyError('FST_ERR_CTP_EMPTY_JSON_BODY', 400));
    assert.deepEqual([empty.status, empty.field], [400, 'body']);
    const badJson = toWireError(fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400, 'Unexpected end of JSON input'));
    assert.equal(badJson.status, 400);
    assert.match(badJson.message, /not valid JSON: Unexpected end/);
    assert.equal(toWireError(new SyntaxError('bad')).status, 400);
  });

  test('other 4xx errors keep their status; anything else is a 500 without internals', () => {
    const notAllowed = toWireError(fastifyError('FST_ERR_SOMETHING', 405, 'Method not allowed'));
    assert.deepEqual(notAllowed, { status: 405, message: 'Method not allowed' });
    const crash = toWireError(new Error('connection to 10.0.0.5 refused: password=hunter2'));
    assert.equal(crash.status, 500);
    assert.ok(!crash.message.includes('hunter2'));
    assert.equal(toWireError('a string').status, 500);
    assert.equal(toWireError(fastifyError('X', 503)).status, 500);
  });
});

describe('error bodies', () => {
  test('Playbooks form has error and details (the field when known)', () => {
    assert.deepEqual(playbooksErrorBody({ status: 400, message: 'bad name', field: 'name' }), { error: 'bad name', details: 'field: name' });
    assert.deepEqual(playbooksErrorBody({ status: 404, message: 'Not found' }), { error: 'Not found', details: 'Not found' });
  });

  test('RPC form has only error', () => {
    assert.deepEqual(rpcErrorBody({ status: 400, message: 'bad name', field: 'name' }), { error: 'bad name' });
  });
});
