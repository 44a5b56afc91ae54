import type { Static } from 'typebox';
import { requireVisibleIncident } from '../../domain/access.ts';
import type { Actor, DomainContext } from '../../domain/context.ts';
import { assignLabelInTx, incidentLabels, unassignLabelInTx, type LabelRef } from '../../domain/fields/labels.ts';
import { mutateIncident } from '../../domain/incidents/mutate.ts';
import { presentKeyValueLabel } from './fields.present.ts';
import * as S from './labels.schema.ts';
import { presentIncidentChannels } from './present.ts';
import type { RpcRegistry } from './rpc.ts';

type Req<T extends keyof typeof S> = Static<(typeof S)[T]>;

/** One label change, answered with the incident's whole label set after it. */
function changeLabels(ctx: DomainContext, actor: Actor, incidentId: string, ref: LabelRef, change: typeof assignLabelInTx) {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    await change(tx, actor, incident, ref, now);
    return { labels: (await incidentLabels(tx, incident.id)).map(presentKeyValueLabel) };
  });
}

/** IncidentsService's key:value label methods and its channels (the run's war room). */
export const labelsMethods: RpcRegistry = {
  'IncidentsService.AssignLabel': {
    request: S.LabelByNameRequest,
    handler: (ctx, actor, req: Req<'LabelByNameRequest'>) => changeLabels(ctx, actor, req.incidentID, { key: req.key, value: req.value }, assignLabelInTx),
  },
  'IncidentsService.AssignLabelByUUID': {
    request: S.LabelByUuidRequest,
    handler: (ctx, actor, req: Req<'LabelByUuidRequest'>) =>
      changeLabels(ctx, actor, req.incidentID, { keyId: req.keyUUID, valueId: req.valueUUID }, assignLabelInTx),
  },
  'IncidentsService.UnassignLabel': {
    request: S.LabelByNameRequest,
    handler: (ctx, actor, req: Req<'LabelByNameRequest'>) => changeLabels(ctx, actor, req.incidentID, { key: req.key, value: req.value }, unassignLabelInTx),
  },
  'IncidentsService.UnassignLabelByUUID': {
    request: S.LabelByUuidRequest,
    handler: (ctx, actor, req: Req<'LabelByUuidRequest'>) =>
      changeLabels(ctx, actor, req.incidentID, { keyId: req.keyUUID, valueId: req.valueUUID }, unassignLabelInTx),
  },
  'IncidentsService.GetLabels': {
    request: S.IncidentRef,
    handler: async (ctx, actor, req: Req<'IncidentRef'>) => {
      const incident = await requireVisibleIncident(ctx.db, actor, req.incidentID);
      return { labels: (await incidentLabels(ctx.db, incident.id)).map(presentKeyValueLabel) };
    },
  },
  'IncidentsService.GetIncidentChannels': {
    request: S.IncidentRef,
    handler: async (ctx, actor, req: Req<'IncidentRef'>) => {
      const incident = await requireVisibleIncident(ctx.db, actor, req.incidentID);
      return { incidentChannels: presentIncidentChannels(incident) };
    },
  },
};
