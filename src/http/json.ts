import sjson from 'secure-json-parse';
import { invalid } from '../domain/errors.ts';

/** Deeper than any body either API defines; bounds the normaliser's recursion (a 1 MiB `[[[[…` is 500k deep). */
export const MAX_BODY_DEPTH = 64;

const NUL = String.fromCharCode(0);
// A lone UTF-16 surrogate: text columns store it as U+FFFD, but JSON.stringify escapes it as `\udXXX`,
// which PostgreSQL's jsonb refuses. Replaced here so both column kinds hold the same text.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The wire name of a JSON path, in the form validation errors use (`checklists.0.title`). */
function pathName(path: string[]): string {
  return path.length ? path.join('.') : 'body';
}

function cleanString(value: string, path: string[]): string {
  if (value.includes(NUL)) {
    const field = pathName(path);
    throw invalid(field, `invalid field ${field}: must not contain NUL characters`);
  }
  return value.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Go clients marshal nil slices, maps and pointers as `null`. Both APIs treat a null field as absent, so
 * bodies are cleaned before validation (a `null` where a list belongs would otherwise be a 400).
 * Objects come out with a null prototype (no inherited field can be read as sent), strings with a NUL
 * (which no text column can hold) are refused naming the field, and nesting is bounded.
 */
export function dropNulls(value: unknown, path: string[] = []): unknown {
  if (typeof value === 'string') return cleanString(value, path);
  if (value === null || typeof value !== 'object') return value;
  if (path.length >= MAX_BODY_DEPTH) {
    const field = pathName(path);
    throw invalid(field, `invalid field ${field}: nested deeper than ${MAX_BODY_DEPTH} levels`);
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((v, i) => {
      if (v !== null) out.push(dropNulls(v, [...path, String(i)]));
    });
    return out;
  }
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, v] of Object.entries(value)) {
    const name = cleanString(key, path);
    if (v !== null) out[name] = dropNulls(v, [...path, name]);
  }
  return out;
}

/**
 * Reads a JSON request body for either facade: blank is no body (undefined), nulls are absent fields,
 * malformed JSON is a 400 naming the body, and so is a prototype-poisoning key (`__proto__`,
 * `constructor.prototype`).
 */
export function parseJsonBody(raw: string): unknown {
  const text = raw.trim();
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    const message = (err as Error).message;
    if (/forbidden prototype property/i.test(message)) {
      throw invalid('body', 'invalid field body: must not contain a __proto__ or constructor.prototype key');
    }
    throw invalid('body', `request body is not valid JSON: ${message}`);
  }
  return dropNulls(parsed);
}
