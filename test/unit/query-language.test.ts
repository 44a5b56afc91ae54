import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DomainError } from '../../src/domain/errors.ts';
import { FIELD_SLUGS, MAX_DEPTH, MAX_TERMS, RANGE_KEYS, type Node, type QueryAst, type Term } from '../../src/domain/query/ast.ts';
import { parseQueryString } from '../../src/domain/query/parse.ts';
import { printQuery } from '../../src/domain/query/print.ts';

/** The error message of a query string that must not parse. */
function errorOf(input: string): string {
  try {
    parseQueryString(input);
  } catch (err) {
    assert.ok(err instanceof DomainError, `not a DomainError: ${String(err)}`);
    assert.equal(err.code, 'invalid');
    assert.equal(err.field, 'queryString');
    return err.message;
  }
  assert.fail(`${JSON.stringify(input)} parsed`);
}

const term = (key: string, value: string) => ({ kind: 'term', key, value });

describe('queryString parser', () => {
  test('terms, quotes, juxtaposition and nested or/any groups', () => {
    assert.deepEqual(parseQueryString(''), { items: [] });
    assert.deepEqual(parseQueryString('   '), { items: [] });
    assert.deepEqual(parseQueryString('isdrill:false status:active'), { items: [term('isdrill', 'false'), term('status', 'active')] });
    assert.deepEqual(parseQueryString(`title:"disk full" label:'needs "care"'  severity:major`), {
      items: [term('title', 'disk full'), term('label', 'needs "care"'), term('severity', 'major')],
    });
    assert.deepEqual(parseQueryString('isdrill:false any(label:security or(label:important status:Resolved))'), {
      items: [
        term('isdrill', 'false'),
        {
          kind: 'group',
          op: 'any',
          items: [term('label', 'security'), { kind: 'group', op: 'or', items: [term('label', 'important'), term('status', 'resolved')] }],
        },
      ],
    });
    assert.deepEqual(parseQueryString('OR(Status:active)'), { items: [{ kind: 'group', op: 'or', items: [term('status', 'active')] }] });
    assert.deepEqual(parseQueryString('field:Labels:"sev one" role:commander user.email:a@example.com title:a:b'), {
      items: [
        { kind: 'field', slug: 'labels', value: 'sev one' },
        term('role', 'commander'),
        term('user.email', 'a@example.com'),
        term('title', 'a:b'),
      ],
    });
    assert.deepEqual(parseQueryString('declared:2024-01-01T00:00:00Z,2024-02-01T00:00:00+01:00 resolved:,2024-03-01T00:00:00.5Z ended:"2024-01-01 10:00:00Z,"'), {
      items: [
        { kind: 'range', key: 'declared', from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00+01:00' },
        { kind: 'range', key: 'resolved', from: '', to: '2024-03-01T00:00:00.5Z' },
        { kind: 'range', key: 'ended', from: '2024-01-01 10:00:00Z', to: '' },
      ],
    });
    assert.deepEqual(parseQueryString('text:"checkout latency"'), { items: [term('text', 'checkout latency')] });
  });

  test('malformed input names the 1-based position and what was expected', () => {
    assert.equal(errorOf('or(text:x'), `invalid query string at position 10: expected ')' to close or( opened at position 1`);
    assert.equal(errorOf('or(title:x'), `invalid query string at position 11: expected ')' to close or( opened at position 1`);
    assert.match(errorOf('status:active foo'), /^invalid query string at position 15: expected ':' after "foo": terms are key:value/);
    assert.match(errorOf('checkout'), /^invalid query string at position 1: expected ':' after "checkout"/);
    assert.match(errorOf('status:active)'), /^invalid query string at position 14: unexpected '\)'/);
    assert.match(errorOf('not(status:active)'), /^invalid query string at position 1: unknown group "not\(": expected or\( or any\(/);
    assert.match(errorOf('or()'), /^invalid query string at position 4: expected a key:value term inside or\(/);
    assert.match(errorOf('colour:red'), /^invalid query string at position 1: unknown key "colour": expected one of status, severity/);
    assert.match(errorOf('status:'), /^invalid query string at position 8: expected a value after "status:"/);
    assert.match(errorOf('status: active'), /^invalid query string at position 8: expected a value after "status:"/);
    assert.match(errorOf('title:"  "'), /^invalid query string at position 7: expected a value after "title:"/);
    assert.match(errorOf('title:"disk full'), /^invalid query string at position 7: expected a closing " to end the value/);
    assert.match(errorOf('status:closed'), /^invalid query string at position 8: invalid status "closed": expected active or resolved/);
    assert.match(errorOf('isdrill:yes'), /^invalid query string at position 9: invalid isdrill "yes": expected true or false/);
    assert.match(errorOf('field:colour:red'), /^invalid query string at position 7: unknown field "colour": expected one of labels, label, tags/);
    assert.match(errorOf('field:labels'), /^invalid query string at position 13: expected ':' after "field:labels"/);
    assert.match(errorOf('field::x'), /^invalid query string at position 7: expected a field slug/);
    assert.match(errorOf('declared:2024-01-01T00:00:00Z'), /^invalid query string at position 10: expected declared:<from>,<to>/);
    assert.match(errorOf('declared:,'), /^invalid query string at position 10: expected at least one time/);
    assert.match(errorOf('started:2024-01-01T00:00:00Z,tomorrow'), /^invalid query string at position 30: invalid time "tomorrow"/);
    assert.match(errorOf('started:2024-02-30T00:00:00Z,'), /^invalid query string at position 9: invalid time "2024-02-30T00:00:00Z"/);
    assert.match(errorOf('ended:2024-02-01T00:00:00Z,2024-01-01T00:00:00Z'), /ends before it starts/);
    assert.match(errorOf('"quoted"'), /^invalid query string at position 1: expected a key before the quoted value/);
    assert.match(errorOf('(status:active)'), /^invalid query string at position 1: unexpected '\('/);
    assert.match(errorOf('!'), /^invalid query string at position 1: expected a key:value term, found "!"/);
    assert.match(errorOf(`${'or('.repeat(MAX_DEPTH + 1)}status:active${')'.repeat(MAX_DEPTH + 1)}`), /nest at most/);
    assert.match(errorOf(Array.from({ length: MAX_TERMS + 1 }, () => 'status:active').join(' ')), /at most \d+ terms/);
  });

  test('printing gives canonical text that quotes only when needed', () => {
    const ast = parseQueryString(`Title:'disk full' label:"it's" any(status:active) declared:,2024-01-01T00:00:00Z`);
    assert.equal(printQuery(ast), `title:"disk full" label:"it's" any(status:active) declared:,2024-01-01T00:00:00Z`);
    assert.equal(printQuery(parseQueryString(`title:'say "hi"'`)), `title:'say "hi"'`);
  });
});

// ---- property-based ----

const VALUE_CHARS = ['a', 'B', 'z', '0', '9', ':', ',', '.', '-', '@', ' ', '\t', '(', ')', '"', "'", 'é', '🔥', '\n'];
/** Any value the language can express: not blank, not holding both quote characters. */
const anyValue = fc
  .string({ unit: fc.constantFrom(...VALUE_CHARS), minLength: 1, maxLength: 12 })
  .filter((v) => v.trim() !== '' && !(v.includes('"') && v.includes("'")));

const TIMES = [
  '2024-01-01T00:00:00Z',
  '2024-01-01T00:00:00.25Z',
  '2024-02-29T12:30:00+02:00',
  '2024-02-29 12:30:00Z',
  '2025-06-30T23:59:59-07:00',
];
const rangeTerm: fc.Arbitrary<Term> = fc
  .record({ key: fc.constantFrom(...RANGE_KEYS), from: fc.constantFrom('', ...TIMES), to: fc.constantFrom('', ...TIMES) })
  .filter(({ from, to }) => (from || to) !== '' && (!from || !to || Date.parse(from) <= Date.parse(to)))
  .map(({ key, from, to }) => ({ kind: 'range', key, from, to }));

const simpleTerm: fc.Arbitrary<Term> = fc.oneof(
  fc.constantFrom('active', 'resolved').map((value): Term => ({ kind: 'term', key: 'status', value })),
  fc.constantFrom('true', 'false').map((value): Term => ({ kind: 'term', key: 'isdrill', value })),
  fc
    .record({ key: fc.constantFrom('severity', 'title', 'label', 'createdby', 'role', 'user.email', 'text' as const), value: anyValue })
    .map(({ key, value }): Term => ({ kind: 'term', key, value })),
  fc.record({ slug: fc.constantFrom(...FIELD_SLUGS), value: anyValue }).map(({ slug, value }): Term => ({ kind: 'field', slug, value })),
  rangeTerm,
);

const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    simpleTerm,
    fc
      .record({ op: fc.constantFrom('or', 'any' as const), items: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) })
      .map(({ op, items }): Node => ({ kind: 'group', op, items })),
  ),
})).node;

function depth(n: Node): number {
  return n.kind === 'group' ? 1 + Math.max(...n.items.map(depth)) : 0;
}
function terms(n: Node): number {
  return n.kind === 'group' ? n.items.reduce((sum, i) => sum + terms(i), 0) : 1;
}
const queryAst: fc.Arbitrary<QueryAst> = fc
  .array(node, { maxLength: 5 })
  .filter((items) => items.every((i) => depth(i) <= MAX_DEPTH) && items.reduce((sum, i) => sum + terms(i), 0) <= MAX_TERMS)
  .map((items) => ({ items }));

/** Parses, insisting that a failure is the project's invalid() error with a position. */
function tryParse(input: string): QueryAst | undefined {
  try {
    return parseQueryString(input);
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'invalid' || !/^invalid query string at position \d+: ./.test(err.message)) {
      throw new Error(`parse(${JSON.stringify(input)}) threw something else: ${String(err)}`);
    }
    return undefined;
  }
}

/** Fragments that make random strings reach deep into the grammar. */
const FRAGMENTS = [
  ...VALUE_CHARS,
  'or(', 'any(', ')', 'status:', 'active', 'isdrill:', 'true', 'title:', 'label:', 'field:', 'labels:', 'tags', 'role:',
  'user.email:', 'text:', 'declared:', 'resolved:', ',', '2024-01-01T00:00:00Z', 'x', ' ',
];

describe('queryString properties', () => {
  test('round trip: a generated tree prints to text that parses back to the same tree', () => {
    fc.assert(
      fc.property(queryAst, (ast) => {
        assert.deepEqual(parseQueryString(printQuery(ast)), ast);
      }),
      { numRuns: 2000 },
    );
  });

  test('no crash: random text parses or fails with invalid(queryString) and a position', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: fc.constantFrom(...FRAGMENTS), maxLength: 30 })), (input) => {
        const ast = tryParse(input);
        // Whatever parses has a canonical form that is a fixed point.
        if (ast) assert.deepEqual(parseQueryString(printQuery(ast)), ast);
      }),
      { numRuns: 5000 },
    );
  });
});
