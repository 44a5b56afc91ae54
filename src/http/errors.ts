import type { FastifyError } from 'fastify';
import { databaseFailure, DomainError, InputError, type ErrorCode } from '../domain/errors.ts';

/** A transport-neutral view of any error; each facade turns it into its own body. */
export interface WireError {
  status: number;
  message: string;
  field?: string | undefined;
  /** Seconds for a `Retry-After` header (every 503). */
  retryAfter?: number | undefined;
}

/** Paths of the Grafana Incident RPC facade; everything else speaks the Playbooks/Mattermost error form. */
export function isRpcPath(url: string): boolean {
  return url.startsWith('/api/plugins/') || url.startsWith('//api/plugins/');
}

/** What a 503 asks the caller to wait: the database is usually back (or known gone) within seconds. */
export const RETRY_AFTER_SECONDS = 2;

const STATUS: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid: 400,
  conflict: 409,
  too_large: 413,
  unavailable: 503,
  upstream: 502,
  precondition_failed: 412,
  unprocessable: 422,
};

export interface AjvIssue {
  instancePath: string;
  schemaPath?: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

export const ID_PATTERN = '^[A-Za-z0-9]{26}$';

/** `owner_id`-style name of the field an ajv issue is about (`context` when it is the whole part). */
function fieldOf(context: string, issue: AjvIssue): string {
  const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = issue.keyword === 'required' ? String(issue.params.missingProperty) : '';
  const leaf = [path, missing].filter(Boolean).join('.');
  return leaf ? leaf : context;
}

/** What one failed keyword asks for, as a noun phrase (`"active"`, `a 26-character id`, `a boolean`). */
function wanted(issue: AjvIssue): string {
  if (issue.keyword === 'const') return JSON.stringify(issue.params.allowedValue);
  if (issue.keyword === 'enum') return (issue.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
  if (issue.keyword === 'pattern' && issue.params.pattern === ID_PATTERN) return 'a 26-character id';
  if (issue.keyword === 'type') return `${/^[aeiou]/.test(String(issue.params.type)) ? 'an' : 'a'} ${String(issue.params.type)}`;
  return `a value that ${issue.message ?? 'is valid'}`;
}

function describe(issue: AjvIssue): string {
  if (issue.keyword === 'pattern' && issue.params.pattern === ID_PATTERN) return 'must be a 26-character id';
  if (issue.keyword === 'enum') return `must be one of ${wanted(issue)}`;
  if (issue.keyword === 'const') return `must be ${wanted(issue)}`;
  if (issue.keyword === 'required') return 'is required';
  if (issue.keyword === 'additionalProperties') return `has an unknown field ${String(issue.params.additionalProperty)}`;
  return issue.message ?? 'is invalid';
}

/**
 * The issue to report of a failed validation, and its wording. A value that matched no branch of a union
 * (`anyOf`: a TypeBox `Union`, e.g. `"" | id` or a union of literals) is described by every branch's
 * alternative, so the caller learns what to send (ajv alone says "must be equal to constant"). A branch that
 * failed deeper inside the value (an element of a list) is the more useful report and wins.
 */
function pick(issues: AjvIssue[]): { issue: AjvIssue; message: string } {
  const first = issues[0]!;
  const union = issues.find((i) => i.keyword === 'anyOf' && i.schemaPath && first.schemaPath?.startsWith(`${i.schemaPath}/`));
  if (!union) return { issue: first, message: describe(first) };
  const branches = issues.filter((i) => i !== union && i.schemaPath?.startsWith(`${union.schemaPath}/`));
  const deeper = branches.find((i) => i.instancePath !== union.instancePath);
  if (deeper) return { issue: deeper, message: describe(deeper) };
  const alternatives = [...new Set(branches.map(wanted))];
  const allLiterals = branches.every((i) => i.keyword === 'const' || i.keyword === 'enum');
  return { issue: union, message: allLiterals ? `must be one of ${alternatives.join(', ')}` : `must be ${alternatives.join(' or ')}` };
}

/**
 * The one wording of a schema violation, for both facades: the field and a message that names it, and
 * for an enum or union the values to send.
 */
export function describeValidationIssues(issues: AjvIssue[], context = 'body'): { field: string; message: string } {
  const { issue, message } = pick(issues);
  const field = fieldOf(context, issue);
  const where = context === 'querystring' ? 'query parameter' : context === 'params' ? 'path parameter' : 'field';
  return { field, message: `invalid ${where} ${field}: ${message}` };
}

/** How a facade names the domain's input fields (src/http/field-names.ts), and what it calls them. */
export interface FieldNaming {
  where: 'field' | 'query parameter';
  name(field: string): string;
  /** The facade's wording of a domain action the caller may take instead, if it has one. */
  hint?(action: string): string | undefined;
}

/** Classifies anything thrown while handling a request. Unknown errors become a 500 without internals. */
export function toWireError(err: unknown, naming?: FieldNaming): WireError {
  if (err instanceof InputError) {
    const field = naming ? naming.name(err.field!) : err.field!;
    const hint = err.hint ? naming?.hint?.(err.hint) : undefined;
    return { status: 400, message: `invalid ${naming?.where ?? 'field'} ${field}: ${err.reason}${hint ? `; ${hint}` : ''}`, field };
  }
  const known = err instanceof DomainError ? err : databaseFailure(err);
  if (known) {
    const status = STATUS[known.code];
    return { status, message: known.message, field: known.field, ...(status === 503 ? { retryAfter: RETRY_AFTER_SECONDS } : {}) };
  }
  const fe = err as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (fe.validation && fe.validation.length > 0) {
    const { field, message } = describeValidationIssues(fe.validation, fe.validationContext ?? 'body');
    return { status: 400, message, field };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: 'request body is larger than the 1 MiB limit', field: 'body' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: `unsupported content type: send application/json`, field: 'body' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, message: 'request body is empty: send a JSON object', field: 'body' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, message: `request body is not valid JSON: ${fe.message}`, field: 'body' };
  }
  if (err instanceof SyntaxError || fe.statusCode === 400) {
    return { status: 400, message: `request body is not valid JSON: ${fe.message}`, field: 'body' };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, message: fe.message };
  }
  return { status: 500, message: 'An internal error has occurred. Check app server logs for details.' };
}

/** Playbooks / Mattermost form: the spec requires `details` besides `error`. */
export function playbooksErrorBody(e: WireError): { error: string; details: string } {
  return { error: e.message, details: e.field ? `field: ${e.field}` : e.message };
}

/** Grafana Incident RPC form: `{"error": "..."}`. */
export function rpcErrorBody(e: WireError): { error: string } {
  return { error: e.message };
}
