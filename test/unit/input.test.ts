import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Type } from 'typebox';
import { DomainError } from '../../src/domain/errors.ts';
import { MAX_BODY_DEPTH, parseJsonBody } from '../../src/http/json.ts';
import { boundNumbers, compileBodyValidator, MAX_NUMBER } from '../../src/http/validation.ts';

const refused = (raw: string, field: string, message: RegExp) =>
  assert.throws(() => parseJsonBody(raw), (err: unknown) => err instanceof DomainError && err.field === field && message.test(err.message));

describe('parseJsonBody', () => {
  test('nulls are absent, objects have no prototype, blank is no body', () => {
    const body = parseJsonBody('{"a":null,"b":[1,null,{"c":null}]}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(body), null);
    assert.deepEqual(JSON.parse(JSON.stringify(body)), { b: [1, {}] });
    assert.equal(parseJsonBody('  \n'), undefined);
  });

  test('a NUL in a string or a key is refused naming its JSON path', () => {
    refused('{"checklists":[{"items":[{"title":"a\\u0000"}]}]}', 'checklists.0.items.0.title', /must not contain NUL/);
    refused('{"a\\u0000b":1}', 'body', /must not contain NUL/);
    refused('"\\u0000"', 'body', /must not contain NUL/);
  });

  test('prototype poisoning is refused; a lone surrogate becomes U+FFFD', () => {
    refused('{"__proto__":{"name":"x"}}', 'body', /__proto__/);
    refused('{"a":{"constructor":{"prototype":{}}}}', 'body', /__proto__/);
    assert.deepEqual(parseJsonBody('{"t":"a\\ud800b"}'), Object.assign(Object.create(null), { t: 'a\uFFFDb' }));
  });

  test('nesting past the bound and text that is not JSON are 400s naming the body or the field', () => {
    refused(`${'['.repeat(MAX_BODY_DEPTH + 1)}${']'.repeat(MAX_BODY_DEPTH + 1)}`, '0'.repeat(MAX_BODY_DEPTH).split('').join('.'), /nested deeper/);
    refused('{"a":', 'body', /not valid JSON/);
  });
});

describe('boundNumbers', () => {
  test('numbers without bounds get ±MAX_NUMBER; given bounds and values are kept', () => {
    const schema = Type.Object({ a: Type.Integer(), b: Type.Number({ minimum: 0, maximum: 5 }), c: Type.Union([Type.Integer(), Type.Literal('')]) });
    const validate = compileBodyValidator(schema);
    assert.equal(validate({ a: MAX_NUMBER, b: 5, c: '' }), true);
    assert.equal(validate({ a: 1e23, b: 1, c: 1 }), false);
    assert.equal(validate({ a: 1, b: 1, c: -1e300 }), false);
    assert.equal(validate({ a: 1, b: 6, c: 1 }), false);
    assert.equal(boundNumbers(schema), boundNumbers(schema), 'one copy per schema');
    assert.deepEqual(boundNumbers({ enum: [1e30] }), { enum: [1e30] });
  });
});
