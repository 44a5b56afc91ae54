import { sql, type RawBuilder } from 'kysely';
import { CLOSED_AT, ENDED_AT, STARTED_AT } from './columns.ts';

/** IncidentPreviewsQuery.orderField values (notes §6); createdTime is the default. */
export const ORDER_FIELDS = [
  'incidentID',
  'createdTime',
  'modifiedTime',
  'title',
  'status',
  'severity',
  'prefix',
  'isDrill',
  'incidentStart',
  'incidentEnd',
  'closedTime',
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];
export const DEFAULT_ORDER_FIELD: OrderField = 'createdTime';

export type SortType = 'bigint' | 'text' | 'boolean';

export interface SortKey {
  /** The value rows are ordered by (then by incidents.id); never NULL. */
  expr: RawBuilder<unknown>;
  type: SortType;
}

// Text keys compare byte-wise on lower case, so the order is the same on every database collation.
const text = (column: RawBuilder<unknown>): SortKey => ({ expr: sql`(lower(${column}) COLLATE "C")`, type: 'text' });
const time = (expr: RawBuilder<unknown>): SortKey => ({ expr, type: 'bigint' });

export const SORT_KEYS: Record<OrderField, SortKey> = {
  incidentID: { expr: sql`(incidents.id COLLATE "C")`, type: 'text' },
  createdTime: time(sql`incidents.create_at`),
  modifiedTime: time(sql`incidents.modified_at`),
  title: text(sql`incidents.name`),
  status: { expr: sql`(incidents.status COLLATE "C")`, type: 'text' },
  // Rank by configured level: critical (level 1) highest, pending (level 0) and unknown lowest; DESC = worst first.
  severity: time(
    sql`COALESCE((SELECT CASE WHEN severities.level > 0 THEN 1000000 - severities.level ELSE 0 END
      FROM severities WHERE severities.label = incidents.severity), 0)::bigint`,
  ),
  // Grafana's prefix is the incident room's name prefix: the war-room channel name starts with it.
  prefix: text(sql`COALESCE((SELECT channels.name FROM channels WHERE channels.id = incidents.channel_id), '')`),
  isDrill: { expr: sql`incidents.is_drill`, type: 'boolean' },
  incidentStart: time(STARTED_AT),
  incidentEnd: time(ENDED_AT),
  closedTime: time(CLOSED_AT),
};
