import fc from 'fast-check';

// Mutations of a valid request, drawn by fast-check. Strings use the `binary` unit: the default (printable
// ASCII) never produces the NUL that today's 500s need (shared/notes/reliability.md §4).

const NUL = String.fromCharCode(0);

const nulString = fc
  .tuple(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }))
  .map(([a, b]) => `${a}${NUL}${b}`);
// 1e23 is `?started_gte=99999999999999999999999` as a double; 2^31 is past an int4 column.
const hugeNumber = fc.constantFrom(1e300, -1e300, 2 ** 63, -(2 ** 63), 2 ** 53 + 2, 2 ** 31, -(2 ** 31) - 1, 1e23, 1.5, -0.5, -1, 0);
const wrongType = fc.oneof(
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ unit: 'binary', maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 8 }), { maxKeys: 3 }),
);
/** A value that does not belong where it is put. */
export const hostileValue = fc.oneof(nulString, fc.string({ unit: 'binary', maxLength: 40 }), hugeNumber, wrongType);

export type Mutation =
  | { op: 'set'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'extra'; at: number; key: string; value: unknown }
  | { op: 'proto'; at: number; key: '__proto__' | 'constructor' }
  | { op: 'deep'; at: number; depth: number }
  | { op: 'raw'; text: string }
  | { op: 'oversize' };

const rawText = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('', ' ', '{', '[]', 'null', '"x"', '1', 'true', '{"a":1}{', '{"a":"\\u0000"}'));

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('extra' as const), at: fc.nat(), key: fc.string({ unit: 'binary', maxLength: 8 }), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('proto' as const), at: fc.nat(), key: fc.constantFrom('__proto__' as const, 'constructor' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deep' as const), at: fc.nat(), depth: fc.integer({ min: 60, max: 200_000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('raw' as const), text: rawText }) },
  { weight: 1, arbitrary: fc.constant({ op: 'oversize' as const }) },
);

export type Part = 'body' | 'query' | 'params';

export interface MutantSpec {
  part: Part;
  mutations: Mutation[];
  contentType: string | undefined;
}

export function mutantSpec(parts: Part[]): fc.Arbitrary<MutantSpec> {
  return fc.record({
    part: fc.constantFrom(...parts),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
    contentType: fc.constantFrom(undefined, 'application/json', 'text/plain;charset=UTF-8', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded'),
  });
}

type Container = Record<string, unknown> | unknown[];
interface Slot {
  parent: Container | undefined;
  key: string | number | undefined;
}

/** Every place in a JSON value, the root first (iterative: mutants nest thousands deep). */
function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const todo: Array<{ value: unknown; slot: Slot }> = [{ value: root, slot: { parent: undefined, key: undefined } }];
  while (todo.length) {
    const { value, slot } = todo.pop()!;
    out.push(slot);
    if (Array.isArray(value)) value.forEach((v, i) => todo.push({ value: v, slot: { parent: value, key: i } }));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) todo.push({ value: v, slot: { parent: value as Record<string, unknown>, key: k } });
    }
  }
  return out;
}

function objectsIn(root: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const todo = [root];
  while (todo.length) {
    const value = todo.pop();
    if (!value || typeof value !== 'object') continue;
    if (!Array.isArray(value)) found.push(value as Record<string, unknown>);
    todo.push(...Object.values(value));
  }
  return found;
}

/** Put where a deep value goes; replaced in the text (JSON.stringify itself overflows a few thousand deep). */
const DEEP = '\u0001deep\u0001';

/** `{"a":[{"a":[…1…]}]}`, `depth` levels. */
function nestedText(depth: number): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    open.push(i % 2 ? '[' : '{"a":');
    close.push(i % 2 ? ']' : '}');
  }
  return `${open.join('')}1${close.reverse().join('')}`;
}

function defineOwn(target: Container, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A JSON body after the mutations: the text to send (mutations that make it non-JSON return text). */
export function mutateJson(base: unknown, mutations: Mutation[]): string {
  let root: unknown = structuredClone(base ?? {});
  let deep: number | undefined;
  for (const m of mutations) {
    if (m.op === 'raw') return m.text;
    if (m.op === 'oversize') return JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 16), root });
    if (m.op === 'set' || m.op === 'delete' || m.op === 'deep') {
      const all = slots(root);
      const slot = all[m.at % all.length]!;
      if (m.op === 'deep') deep = m.depth;
      const value = m.op === 'set' ? structuredClone(m.value) : m.op === 'deep' ? DEEP : undefined;
      if (!slot.parent) root = value ?? {};
      else if (m.op === 'delete' && !Array.isArray(slot.parent)) delete slot.parent[slot.key as string];
      else (slot.parent as Record<string | number, unknown>)[slot.key!] = value;
    } else {
      const objects = objectsIn(root);
      if (!objects.length) continue;
      const target = objects[m.at % objects.length]!;
      if (m.op === 'extra') defineOwn(target, m.key, structuredClone(m.value));
      else defineOwn(target, m.key, m.key === '__proto__' ? { name: 'poisoned', is_admin: true } : { prototype: { name: 'poisoned' } });
    }
  }
  const text = JSON.stringify(root) ?? '';
  return deep === undefined ? text : text.replace(JSON.stringify(DEEP), nestedText(deep));
}

function asParam(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

/** Query parameters after the mutations (values as text; arrays are repeated parameters). */
export function mutateQuery(base: Record<string, unknown>, mutations: Mutation[]): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(base)) query[k] = Array.isArray(v) ? v.map(asParam) : asParam(v);
  const keys = () => Object.keys(query);
  for (const m of mutations) {
    const key = keys().length ? keys()[('at' in m ? m.at : 0) % keys().length]! : 'q';
    if (m.op === 'set') query[key] = Array.isArray(m.value) ? m.value.map(asParam) : asParam(m.value);
    else if (m.op === 'delete') delete query[key];
    else if (m.op === 'extra') query[m.key] = asParam(m.value);
    else if (m.op === 'proto') query[m.key] = 'poisoned';
    else if (m.op === 'raw') query[key] = m.text;
    else if (m.op === 'oversize') query[key] = 'x'.repeat(64 * 1024);
    else query[`${key}[a][b]`] = String(m.depth);
  }
  return query;
}

/** Path parameters after the mutations: one value replaced by hostile text, a huge number or an empty string. */
export function mutateParams(base: Record<string, string>, mutations: Mutation[]): Record<string, string> {
  const params = { ...base };
  const names = Object.keys(params);
  for (const m of mutations) {
    const name = names[('at' in m ? m.at : 0) % names.length]!;
    if (m.op === 'set' || m.op === 'extra') params[name] = asParam(m.value);
    else if (m.op === 'raw') params[name] = m.text;
    else if (m.op === 'delete') params[name] = '';
    else if (m.op === 'oversize') params[name] = '9'.repeat(300);
    else params[name] = String(2 ** 63);
  }
  return params;
}
