/**
 * The Grafana Incident queryString mini-language (notes §7), as a syntax tree.
 *
 *   query  := item*                      juxtaposition = AND
 *   item   := group | term
 *   group  := ('or' | 'any') '(' item+ ')'   OR of its items (nestable)
 *   term   := key ':' value | 'field:' slug ':' value
 *   value  := bare | '…' | "…"          no escapes: quote with the quote the value lacks
 *
 * The tree is normalised (lower-case keys, groups and enum values) and carries no positions, so a printed
 * tree parses back to an equal tree.
 */

/** Keys whose value is one string. `isdrill` holds 'true' | 'false', `status` 'active' | 'resolved'. */
export const SIMPLE_KEYS = ['status', 'severity', 'isdrill', 'title', 'label', 'createdby', 'role', 'user.email', 'text'] as const;
export type SimpleKey = (typeof SIMPLE_KEYS)[number];

/** Keys whose value is a `from,to` time range (RFC 3339; either side may be empty). */
export const RANGE_KEYS = ['declared', 'started', 'resolved', 'ended'] as const;
export type RangeKey = (typeof RANGE_KEYS)[number];

/**
 * `field:<slug>:<value>`: any label (any key) under these slugs; the slug of a custom field or label key of
 * the organisation's catalogue (FieldsService) matches that field's value or that key's labels.
 */
export const FIELD_SLUGS = ['labels', 'label', 'tags'] as const;
export type FieldSlug = string;

export const GROUP_OPS = ['or', 'any'] as const;
export type GroupOp = (typeof GROUP_OPS)[number];

export const STATUSES = ['active', 'resolved'] as const;

export type Term =
  | { kind: 'term'; key: SimpleKey; value: string }
  | { kind: 'field'; slug: FieldSlug; value: string }
  | { kind: 'range'; key: RangeKey; from: string; to: string };

export interface Group {
  kind: 'group';
  op: GroupOp;
  items: Node[];
}

export type Node = Term | Group;

/** The whole query: its items are ANDed. No items matches every incident. */
export interface QueryAst {
  items: Node[];
}

/** Guards against pathological input (deep recursion, huge SQL). */
export const MAX_DEPTH = 8;
export const MAX_TERMS = 64;
