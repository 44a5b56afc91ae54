import type { Static } from 'typebox';
import { createStatus, getStatus, INCIDENT_TYPES, listStatuses, updateStatus, type StatusRow } from '../../domain/statuses.ts';
import { rfc3339 } from './present.ts';
import type { RpcRegistry } from './rpc.ts';
import * as S from './statuses.schema.ts';

type Req<T extends keyof typeof S> = Static<(typeof S)[T]>;

/** Status; `kind` is the deprecated twin of `category`. */
function presentStatus(row: StatusRow) {
  return {
    statusID: row.id,
    name: row.name,
    description: row.description,
    incidentType: row.incident_type,
    category: row.category,
    kind: row.category,
    color: row.color,
    icon: row.icon,
    slug: row.slug,
    position: row.position,
    archivedTime: rfc3339(row.archived_at),
    immutable: row.immutable,
    createdTime: rfc3339(row.create_at) || '1970-01-01T00:00:00Z',
    modifiedTime: rfc3339(row.update_at) || '1970-01-01T00:00:00Z',
  };
}

const props = (req: Req<'CreateOrgStatusRequest'>) => ({
  incidentType: req.incidentType ?? '',
  name: req.name,
  description: req.description ?? '',
  category: req.category,
  color: req.color ?? '',
  icon: req.icon ?? '',
});

export const statusesMethods: RpcRegistry = {
  'StatusService.CreateOrgStatus': {
    request: S.CreateOrgStatusRequest,
    handler: async (ctx, actor, req: Req<'CreateOrgStatusRequest'>) => ({ status: presentStatus(await createStatus(ctx, actor, props(req))) }),
  },
  'StatusService.UpdateOrgStatus': {
    request: S.UpdateOrgStatusRequest,
    handler: async (ctx, actor, req: Req<'UpdateOrgStatusRequest'>) => ({ status: presentStatus(await updateStatus(ctx, actor, req.statusID, props(req))) }),
  },
  'StatusService.GetStatusByID': {
    request: S.StatusRef,
    handler: async (ctx, _actor, req: Req<'StatusRef'>) => ({ status: presentStatus(await getStatus(ctx.db, req.statusID)) }),
  },
  'StatusService.QueryOrgStatuses': {
    request: S.QueryOrgStatusesRequest,
    // One configuration per incident type, the default one: Muster has no alternative configurations.
    handler: async (ctx, _actor, req: Req<'QueryOrgStatusesRequest'>) => {
      const rows = await listStatuses(ctx.db, req.incidentType ?? '');
      const types = req.incidentType ? [req.incidentType] : [...INCIDENT_TYPES];
      return {
        configurations: types.map((type) => ({ incidentType: type, default: true, statuses: rows.filter((r) => r.incident_type === type).map(presentStatus) })),
      };
    },
  },
};
