import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyRequest } from 'fastify';
import { invalid } from '../domain/errors.ts';

/**
 * A number the store can hold: every integer column is `bigint` or `integer`, and a timestamp in
 * milliseconds is far below 2^53. Schemas that reach an `integer` (int4) column set their own, lower bound.
 */
export const MAX_NUMBER = Number.MAX_SAFE_INTEGER;

const NUMERIC = new Set(['integer', 'number']);

function isNumeric(type: unknown): boolean {
  return typeof type === 'string' ? NUMERIC.has(type) : Array.isArray(type) && type.some((t) => NUMERIC.has(t as string));
}

/**
 * A copy of a JSON schema in which every number without bounds gets ±MAX_NUMBER, so that no value past the
 * range of a column (or of exact doubles) reaches SQL: `?started_gte=99999999999999999999999` is a 400.
 */
export function boundNumbers(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return schema;
  // One copy per schema, so that ajv's cache (by schema object) compiles each once across servers.
  let bounded = boundedCopies.get(schema);
  if (!bounded) boundedCopies.set(schema, (bounded = boundCopy(schema)));
  return bounded;
}

const boundedCopies = new WeakMap<object, unknown>();

function boundCopy(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(boundNumbers);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` and the like map names to schemas; `enum`/`const`/`default` hold values, not schemas.
    out[key] = key === 'enum' || key === 'const' || key === 'default' || key === 'examples' ? value : boundNumbers(value);
  }
  if (isNumeric(out.type)) {
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = MAX_NUMBER;
    if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = -MAX_NUMBER;
  }
  return out;
}

/** Bodies are not coerced (a string where a number belongs is a 400); query strings and paths are. */
const bodyAjv = new Ajv({ coerceTypes: false, useDefaults: true, allErrors: false, strict: false });
const paramAjv = new Ajv({ coerceTypes: 'array', useDefaults: true, allErrors: false, strict: false });

/** The validator of a JSON body (both facades: the Playbooks routes and each RPC method's request). */
export function compileBodyValidator(schema: object): ValidateFunction {
  return bodyAjv.compile(boundNumbers(schema) as object);
}

/** Fastify's validator compiler: bodies strict, query strings and path parameters coerced from text. */
export function compileRouteValidator({ schema, httpPart }: { schema: unknown; httpPart?: string }): ValidateFunction {
  if (httpPart === 'body') return compileBodyValidator(schema as object);
  return paramAjv.compile(boundNumbers(schema) as object);
}

const NUL = String.fromCharCode(0);

function refuseNul(values: unknown, where: 'query parameter' | 'path parameter'): void {
  if (!values || typeof values !== 'object') return;
  for (const [name, value] of Object.entries(values)) {
    const texts = Array.isArray(value) ? value : [value];
    if (name.includes(NUL) || texts.some((t) => typeof t === 'string' && t.includes(NUL))) {
      const field = name.replaceAll(NUL, '\\0');
      throw invalid(field, `invalid ${where} ${field}: must not contain NUL characters`);
    }
  }
}

/**
 * No text column can hold a NUL, so a query or path value with one is refused before any route reads it
 * (an `onRequest` hook: every route of every facade, the incoming webhook included).
 */
export function refuseNulInUrl(request: FastifyRequest, _reply: unknown, done: (err?: Error) => void): void {
  if (!request.url.includes('%00') && !request.url.includes(NUL)) return done();
  try {
    refuseNul(request.query, 'query parameter');
    refuseNul(request.params, 'path parameter');
    done();
  } catch (err) {
    done(err as Error);
  }
}
