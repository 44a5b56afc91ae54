import { invalid } from '../domain/errors.ts';

/**
 * Go clients marshal nil slices, maps and pointers as `null`. Both APIs treat a null field as absent, so
 * bodies are cleaned before validation (a `null` where a list belongs would otherwise be a 400).
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(dropNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== null) out[key] = dropNulls(v);
    return out;
  }
  return value;
}

/**
 * Reads a JSON request body for either facade: blank is no body (undefined), nulls are absent fields,
 * malformed JSON is a 400 naming the body.
 */
export function parseJsonBody(raw: string): unknown {
  const text = raw.trim();
  if (!text) return undefined;
  try {
    return dropNulls(JSON.parse(text));
  } catch (err) {
    throw invalid('body', `request body is not valid JSON: ${(err as Error).message}`);
  }
}
