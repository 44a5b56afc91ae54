import type { Static } from 'typebox';
import { requireVisibleIncident } from '../../domain/access.ts';
import type { Actor, DomainContext } from '../../domain/context.ts';
import { invalid } from '../../domain/errors.ts';
import {
  addLabelInTx,
  assignRoleInTx,
  removeLabelInTx,
  setDrillInTx,
  setEventTimeInTx,
  setSeverityInTx,
  unassignRoleInTx,
} from '../../domain/incidents/attributes.ts';
import { declareIncident } from '../../domain/incidents/create.ts';
import { finishIncidentInTx, renameInTx, restoreIncidentInTx } from '../../domain/incidents/lifecycle.ts';
import { mutateIncident } from '../../domain/incidents/mutate.ts';
import { allRoles, type RoleRow } from '../../domain/incidents/roles.ts';
import { homescreenVersion, loadDetail } from '../../domain/incidents/read.ts';
import { readVisibleIncident } from '../../domain/incidents/cached-read.ts';
import { derived, derivedAsync } from '../../domain/read-cache.ts';
import type { Executor, Tx } from '../../domain/store-types.ts';
import * as S from './incidents.schema.ts';
import { presentDetail, presentIncidentById } from './load.ts';
import { loadLookups } from './lookups.ts';
import { incidentRenderKey, parseUserId, presentIncident } from './present.ts';
import { PrerenderedResponse, renderRpcResponse, type RpcRegistry } from './rpc.ts';
import { etagOf } from '../../domain/preconditions.ts';

/** RFC 3339 → epoch ms; '' means now. */
export function parseTime(value: string | undefined, field: string, now: number): number {
  if (!value) return now;
  // The reference's own example writes "2022-02-11 00:50:20.574137": a time without a zone is UTC, never
  // the server's local time.
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  const ms = Date.parse(zoned);
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value) || Number.isNaN(ms)) {
    throw invalid(field, `invalid field ${field}: must be an RFC 3339 time such as 2021-08-07T11:58:23Z`);
  }
  return ms;
}

async function roleByName(ex: Executor, name: string): Promise<RoleRow> {
  const role = (await allRoles(ex)).find((r) => r.name === name);
  if (!role) throw invalid('role', `unknown role "${name}"`);
  return role;
}

/** One write to one incident, answered with the incident as it is after the write. */
function changeIncident(
  ctx: DomainContext,
  actor: Actor,
  incidentId: string,
  change: (tx: Tx, incident: Parameters<typeof finishIncidentInTx>[3], now: number) => Promise<unknown>,
) {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    await change(tx, incident, now);
    return { incident: await presentIncidentById(tx, incidentId, now) };
  });
}

type Req<T extends keyof typeof S> = Static<(typeof S)[T]>;

/** AssignRole / UnassignRole: the change and Grafana's `didChange`, with the incident after it. */
function changeRole(ctx: DomainContext, actor: Actor, req: Req<'RoleRequest'>, change: typeof assignRoleInTx) {
  return mutateIncident(ctx, actor, req.incidentID, async (tx, incident, now) => {
    const didChange = await change(tx, ctx, actor, incident, await roleByName(tx, req.role), parseUserId(req.userID));
    return { incident: await presentIncidentById(tx, incident.id, now), didChange };
  });
}

export const incidentsMethods: RpcRegistry = {
  'IncidentsService.CreateIncident': {
    request: S.CreateIncidentRequest,
    handler: async (ctx, actor, req: Req<'CreateIncidentRequest'>) => {
      const created = await declareIncident(ctx, actor, {
        name: req.title,
        origin: 'rpc',
        severity: req.severity || undefined,
        is_drill: req.isDrill,
        labels: (req.labels ?? []).map((l) => l.label.trim()).filter(Boolean),
        status: req.status || undefined,
        room_prefix: req.roomPrefix || undefined,
        attachment: req.attachURL ? { url: req.attachURL, caption: req.attachCaption ?? '' } : undefined,
        initial_status_update: req.initialStatusUpdate,
      });
      return { incident: await presentDetail(ctx.db, created, ctx.clock.now()) };
    },
  },

  'IncidentsService.GetIncident': {
    request: S.IncidentRef,
    handler: async (ctx, actor, req: Req<'IncidentRef'>) => {
      // Grafana's UI polls this: the rendering is kept with the cached detail until the clock moves it.
      const entry = await readVisibleIncident(ctx, actor, req.incidentID);
      const lookups = await derivedAsync(entry, 'rpc-lookups', () => loadLookups(ctx.db, [entry.detail], 0));
      const now = ctx.clock.now();
      const key = incidentRenderKey(entry.detail, now);
      const last = derived(entry, 'rpc-get-incident', () => ({ key: Number.NaN, json: '' }));
      if (last.key !== key) {
        last.json = renderRpcResponse({ incident: presentIncident({ ...lookups, now }, entry.detail) });
        last.key = key;
      }
      return new PrerenderedResponse(last.json, etagOf(entry.detail.incident.version));
    },
  },

  'IncidentsService.UpdateTitle': {
    request: S.UpdateTitleRequest,
    handler: (ctx, actor, req: Req<'UpdateTitleRequest'>) =>
      changeIncident(ctx, actor, req.incidentID, (tx, incident, now) => renameInTx(tx, actor, incident, req.title, now)),
  },

  'IncidentsService.UpdateStatus': {
    request: S.UpdateStatusRequest,
    handler: (ctx, actor, req: Req<'UpdateStatusRequest'>) =>
      changeIncident(ctx, actor, req.incidentID, (tx, incident) =>
        req.status === 'resolved' ? finishIncidentInTx(tx, ctx, actor, incident) : restoreIncidentInTx(tx, ctx, actor, incident),
      ),
  },

  'IncidentsService.UpdateSeverity': {
    request: S.UpdateSeverityRequest,
    handler: (ctx, actor, req: Req<'UpdateSeverityRequest'>) =>
      changeIncident(ctx, actor, req.incidentID, (tx, incident, now) => setSeverityInTx(tx, actor, incident, req.severity, now)),
  },

  'IncidentsService.UpdateIncidentIsDrill': {
    request: S.UpdateIsDrillRequest,
    handler: (ctx, actor, req: Req<'UpdateIsDrillRequest'>) =>
      changeIncident(ctx, actor, req.incidentID, (tx, incident, now) => setDrillInTx(tx, actor, incident, req.isDrill, now)),
  },

  'IncidentsService.AddLabel': {
    request: S.AddLabelRequest,
    handler: (ctx, actor, req: Req<'AddLabelRequest'>) =>
      changeIncident(ctx, actor, req.incidentID, (tx, incident, now) =>
        addLabelInTx(tx, actor, incident, { label: req.label.label, description: req.label.description, color_hex: req.label.colorHex }, now),
      ),
  },

  'IncidentsService.RemoveLabel': {
    request: S.RemoveLabelRequest,
    handler: (ctx, actor, req: Req<'RemoveLabelRequest'>) =>
      changeIncident(ctx, actor, req.incidentID, (tx, incident, now) => removeLabelInTx(tx, actor, incident, { label: req.label, key: req.key }, now)),
  },

  'IncidentsService.UpdateIncidentEventTime': {
    request: S.UpdateEventTimeRequest,
    handler: async (ctx, actor, req: Req<'UpdateEventTimeRequest'>) => {
      const kind = req.activityItemKind || req.eventName;
      if (!kind) throw invalid('activityItemKind', 'activityItemKind is required: incidentStart or incidentEnd');
      const at = parseTime(req.eventTime, 'eventTime', ctx.clock.now());
      await mutateIncident(ctx, actor, req.incidentID, (tx, incident, now) => setEventTimeInTx(tx, actor, incident, kind, at, now));
      return {};
    },
  },

  'IncidentsService.AssignRole': {
    request: S.RoleRequest,
    handler: (ctx, actor, req: Req<'RoleRequest'>) => changeRole(ctx, actor, req, assignRoleInTx),
  },

  'IncidentsService.UnassignRole': {
    request: S.RoleRequest,
    handler: (ctx, actor, req: Req<'RoleRequest'>) => changeRole(ctx, actor, req, unassignRoleInTx),
  },

  'IncidentsService.GetIncidentMembership': {
    request: S.IncidentRef,
    handler: async (ctx, actor, req: Req<'IncidentRef'>) => {
      const incident = await requireVisibleIncident(ctx.db, actor, req.incidentID);
      const detail = await loadDetail(ctx.db, incident);
      const presented = await presentDetail(ctx.db, detail, ctx.clock.now());
      return { assignments: presented.incidentMembership.assignments };
    },
  },

  'IncidentsService.GetIncidentVersion': {
    request: S.IncidentRef,
    handler: async (ctx, actor, req: Req<'IncidentRef'>) => {
      const incident = await requireVisibleIncident(ctx.db, actor, req.incidentID);
      return { version: incident.version };
    },
  },

  'IncidentsService.GetHomescreenVersion': {
    request: S.Empty,
    handler: async (ctx) => ({ version: await homescreenVersion(ctx.db) }),
  },
};


