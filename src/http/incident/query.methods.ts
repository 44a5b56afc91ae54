import type { Static } from 'typebox';
import type { Actor, DomainContext } from '../../domain/context.ts';
import type { IncidentFilters } from '../../domain/query/filter.ts';
import { queryIncidentsPage, resolveLimit, type IncidentsPageRequest } from '../../domain/query/incidents.ts';
import { DEFAULT_ORDER_FIELD } from '../../domain/query/order.ts';
import { parseTime } from './incidents.methods.ts';
import { presentIncidents } from './load.ts';
import { presentPreview } from './previews.present.ts';
import * as S from './query.schema.ts';
import type { RpcRegistry } from './rpc.ts';

type Req<T extends keyof typeof S> = Static<(typeof S)[T]>;

const NO_FILTERS: IncidentFilters = { includeStatuses: [], excludeStatuses: [], labels: [], onlyDrills: false, severity: '' };

/** Runs one page of a query and presents the incidents in the RPC Incident shape. */
async function page(ctx: DomainContext, actor: Actor, req: IncidentsPageRequest) {
  const result = await queryIncidentsPage(ctx.db, actor, req);
  return {
    incidents: await presentIncidents(ctx.db, result.incidents, ctx.clock.now()),
    cursor: { nextValue: result.nextValue, hasMore: result.hasMore },
  };
}

export const queryMethods: RpcRegistry = {
  'IncidentsService.QueryIncidents': {
    request: S.QueryIncidentsRequest,
    handler: async (ctx, actor, req: Req<'QueryIncidentsRequest'>) => {
      const q = req.query ?? {};
      // The echo: every field filled, so strict clients never see undefined (notes §3).
      const query = {
        limit: resolveLimit(q.limit ?? 0),
        includeStatuses: q.includeStatuses ?? [],
        excludeStatuses: q.excludeStatuses ?? [],
        incidentLabels: q.incidentLabels ?? [],
        dateFrom: q.dateFrom ?? '',
        dateTo: q.dateTo ?? '',
        onlyDrills: q.onlyDrills ?? false,
        orderDirection: q.orderDirection || 'DESC',
        severity: q.severity ?? '',
        queryString: q.queryString ?? '',
      };
      const now = ctx.clock.now();
      const filters: IncidentFilters = {
        includeStatuses: query.includeStatuses,
        excludeStatuses: query.excludeStatuses,
        labels: query.incidentLabels.map((l) => l.trim()).filter(Boolean),
        createdFrom: query.dateFrom ? parseTime(query.dateFrom, 'query.dateFrom', now) : undefined,
        createdBefore: query.dateTo ? parseTime(query.dateTo, 'query.dateTo', now) : undefined,
        onlyDrills: query.onlyDrills,
        severity: query.severity.trim(),
      };
      const result = await page(ctx, actor, {
        scope: 'QueryIncidents',
        queryString: query.queryString,
        filters: query.queryString.trim() ? NO_FILTERS : filters,
        orderField: DEFAULT_ORDER_FIELD,
        direction: query.orderDirection,
        limit: query.limit,
        cursor: req.cursor?.nextValue ?? '',
      });
      return { incidents: result.incidents, query, cursor: result.cursor };
    },
  },

  'IncidentsService.QueryIncidentPreviews': {
    request: S.QueryIncidentPreviewsRequest,
    handler: async (ctx, actor, req: Req<'QueryIncidentPreviewsRequest'>) => {
      const q = req.query ?? {};
      const query = {
        limit: resolveLimit(q.limit ?? 0),
        orderDirection: q.orderDirection || 'DESC',
        orderField: q.orderField || DEFAULT_ORDER_FIELD,
        queryString: q.queryString ?? '',
      };
      const result = await page(ctx, actor, {
        scope: 'QueryIncidentPreviews',
        queryString: query.queryString,
        filters: NO_FILTERS,
        orderField: query.orderField,
        direction: query.orderDirection,
        limit: query.limit,
        cursor: req.cursor?.nextValue ?? '',
      });
      const options = {
        includeCustomFieldValues: req.includeCustomFieldValues ?? false,
        includeMembershipPreview: req.includeMembershipPreview ?? false,
        includeIncidentChannels: req.includeIncidentChannels ?? false,
      };
      return {
        incidentPreviews: result.incidents.map((incident) => presentPreview(incident, options)),
        query,
        cursor: result.cursor,
      };
    },
  },
};
