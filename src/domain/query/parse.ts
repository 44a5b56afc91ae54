import { invalid } from '../errors.ts';
import {
  FIELD_SLUGS,
  GROUP_OPS,
  MAX_DEPTH,
  MAX_TERMS,
  RANGE_KEYS,
  SIMPLE_KEYS,
  STATUSES,
  type FieldSlug,
  type GroupOp,
  type Node,
  type QueryAst,
  type RangeKey,
  type SimpleKey,
} from './ast.ts';
import { parseRfc3339 } from './time.ts';

/** The request field every query-string error names. */
export const QUERY_STRING_FIELD = 'queryString';

const KNOWN_KEYS = [...SIMPLE_KEYS, 'field', ...RANGE_KEYS];

/** Characters of a key, a group name or a field slug. */
export function isWordChar(ch: string): boolean {
  return /[A-Za-z0-9_.-]/.test(ch);
}

/** Characters of an unquoted value: anything but whitespace, parentheses and quotes. */
export function isBareChar(ch: string): boolean {
  return !/[\s()'"]/.test(ch);
}

function fail(position: number, expected: string): never {
  throw invalid(QUERY_STRING_FIELD, `invalid query string at position ${position + 1}: ${expected}`);
}

const quoteForMessage = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** Reads characters of the input; positions are 0-based here and 1-based in messages. */
class Scanner {
  pos = 0;
  terms = 0;
  constructor(
    readonly input: string,
    /** The slugs `field:` accepts: the built-in label slugs and the catalogue's. */
    readonly fieldSlugs: readonly string[] = FIELD_SLUGS,
  ) {}

  eof(): boolean {
    return this.pos >= this.input.length;
  }
  peek(): string {
    return this.input[this.pos] ?? '';
  }
  skipSpace(): void {
    while (!this.eof() && /\s/.test(this.peek())) this.pos++;
  }
  readWhile(accept: (ch: string) => boolean): string {
    const start = this.pos;
    while (!this.eof() && accept(this.peek())) this.pos++;
    return this.input.slice(start, this.pos);
  }
}

/**
 * Parses a queryString into its tree, or throws invalid('queryString') saying where (1-based) and what was
 * expected. Never throws anything else.
 */
export function parseQueryString(input: string, fieldSlugs: readonly string[] = []): QueryAst {
  const scanner = new Scanner(input, [...FIELD_SLUGS, ...fieldSlugs.map((slug) => slug.toLowerCase())]);
  return { items: parseItems(scanner, undefined, 0) };
}

/** Items up to the end of input (top level) or the `)` closing `group`. */
function parseItems(s: Scanner, group: { op: GroupOp; start: number } | undefined, depth: number): Node[] {
  const items: Node[] = [];
  for (;;) {
    s.skipSpace();
    if (s.eof()) {
      if (group) fail(s.pos, `expected ')' to close ${group.op}( opened at position ${group.start + 1}`);
      return items;
    }
    const ch = s.peek();
    if (ch === ')') {
      if (!group) fail(s.pos, "unexpected ')': no or( or any( group is open");
      if (items.length === 0) fail(s.pos, `expected a key:value term inside ${group.op}(`);
      s.pos++;
      return items;
    }
    if (ch === '(') fail(s.pos, "unexpected '(': groups are written or(...) or any(...)");
    if (ch === '"' || ch === "'") fail(s.pos, 'expected a key before the quoted value: terms are key:value, e.g. title:"disk full"');
    items.push(parseItem(s, depth));
  }
}

function parseItem(s: Scanner, depth: number): Node {
  const start = s.pos;
  const word = s.readWhile(isWordChar);
  if (!word) fail(start, `expected a key:value term, found ${quoteForMessage(s.peek())}`);
  const name = word.toLowerCase();
  if (s.peek() === '(') {
    if (!(GROUP_OPS as readonly string[]).includes(name)) fail(start, `unknown group ${quoteForMessage(`${word}(`)}: expected or( or any(`);
    if (depth >= MAX_DEPTH) fail(start, `groups nest at most ${MAX_DEPTH} deep`);
    s.pos++;
    return { kind: 'group', op: name as GroupOp, items: parseItems(s, { op: name as GroupOp, start }, depth + 1) };
  }
  if (s.peek() !== ':') {
    fail(start, `expected ':' after ${quoteForMessage(word)}: terms are key:value (${KNOWN_KEYS.join(', ')}), e.g. title:${word}`);
  }
  if (!KNOWN_KEYS.includes(name)) fail(start, `unknown key ${quoteForMessage(word)}: expected one of ${KNOWN_KEYS.join(', ')}`);
  if (++s.terms > MAX_TERMS) fail(start, `at most ${MAX_TERMS} terms are allowed`);
  s.pos++; // ':'
  if (name === 'field') return parseField(s);
  const { value, at } = readValue(s, `${name}:`);
  if ((RANGE_KEYS as readonly string[]).includes(name)) return parseRange(name as RangeKey, value, at);
  return { kind: 'term', key: name as SimpleKey, value: checkValue(name as SimpleKey, value, at) };
}

function parseField(s: Scanner): Node {
  const slugStart = s.pos;
  const slug = s.readWhile(isWordChar);
  if (!slug) fail(slugStart, 'expected a field slug after "field:", e.g. field:labels:security');
  if (s.peek() !== ':') fail(s.pos, `expected ':' after ${quoteForMessage(`field:${slug}`)}: fields are field:<slug>:<value>`);
  const normalised = slug.toLowerCase();
  if (!s.fieldSlugs.includes(normalised)) {
    fail(slugStart, `unknown field ${quoteForMessage(slug)}: expected one of ${s.fieldSlugs.join(', ')}`);
  }
  s.pos++;
  return { kind: 'field', slug: normalised as FieldSlug, value: readValue(s, `field:${normalised}:`).value };
}

/** A quoted or bare value (never blank), and where its text starts. */
function readValue(s: Scanner, after: string): { value: string; at: number } {
  const start = s.pos;
  const quote = s.peek();
  if (quote === '"' || quote === "'") {
    const end = s.input.indexOf(quote, start + 1);
    if (end < 0) fail(start, `expected a closing ${quote} to end the value that starts here`);
    s.pos = end + 1;
    const value = s.input.slice(start + 1, end);
    if (!value.trim()) fail(start, `expected a value after ${quoteForMessage(after)}`);
    return { value, at: start + 1 };
  }
  const value = s.readWhile(isBareChar);
  if (!value) fail(start, `expected a value after ${quoteForMessage(after)}`);
  return { value, at: start };
}

function checkValue(key: SimpleKey, value: string, at: number): string {
  if (key === 'status') {
    const status = value.toLowerCase();
    if (!(STATUSES as readonly string[]).includes(status)) fail(at, `invalid status ${quoteForMessage(value)}: expected active or resolved`);
    return status;
  }
  if (key === 'isdrill') {
    const flag = value.toLowerCase();
    if (flag !== 'true' && flag !== 'false') fail(at, `invalid isdrill ${quoteForMessage(value)}: expected true or false`);
    return flag;
  }
  return value;
}

function parseRange(key: RangeKey, value: string, at: number): Node {
  const parts = value.split(',');
  const shape = `${key}:<from>,<to> with RFC 3339 times such as 2024-01-31T09:00:00Z (either side may be empty)`;
  if (parts.length !== 2) fail(at, `expected ${shape}`);
  const [from, to] = parts as [string, string];
  if (!from && !to) fail(at, `expected at least one time in ${shape}`);
  const fromMs = from ? parseRfc3339(from) : -Infinity;
  if (fromMs === undefined) fail(at, `invalid time ${quoteForMessage(from)}: expected ${shape}`);
  const toMs = to ? parseRfc3339(to) : Infinity;
  if (toMs === undefined) fail(at + from.length + 1, `invalid time ${quoteForMessage(to)}: expected ${shape}`);
  if (fromMs > toMs) fail(at, `the range ${quoteForMessage(value)} ends before it starts`);
  return { kind: 'range', key, from, to };
}
