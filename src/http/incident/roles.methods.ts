import type { Static } from 'typebox';
import {
  createOutgoingWebhook,
  deleteOutgoingWebhook,
  listOutgoingWebhooks,
  type SubscriptionRow,
} from '../../domain/incident-webhooks.ts';
import { createRole, deleteRole, listRoles, setRoleArchived, updateRole } from '../../domain/roles-admin.ts';
import {
  createSeverity,
  listSeverities,
  setSeverityArchived,
  updateSeverity,
  type SeverityRow,
} from '../../domain/severities-admin.ts';
import { presentRole, rfc3339 } from './present.ts';
import * as S from './roles.schema.ts';
import type { RpcRegistry } from './rpc.ts';

type Req<T extends keyof typeof S> = Static<(typeof S)[T]>;

// Organisation configuration: RolesService, SeveritiesService and the outgoing webhook subscriptions.
// Anyone signed in may read roles and severities; every write needs a system admin.

function presentSeverity(row: SeverityRow) {
  return {
    severityID: row.id,
    orgID: '1',
    displayLabel: row.label,
    level: row.level,
    description: row.description,
    color: row.color,
    archived: row.archived,
  };
}

function presentWebhook(row: SubscriptionRow) {
  return { id: row.id, url: row.url, events: row.events, enabled: row.enabled, createdTime: rfc3339(row.create_at) };
}

export const rolesMethods: RpcRegistry = {
  'RolesService.GetRoles': {
    request: S.Empty,
    handler: async (ctx) => ({ roles: (await listRoles(ctx.db)).map(presentRole) }),
  },

  'RolesService.CreateRole': {
    request: S.CreateRoleRequest,
    handler: async (ctx, actor, req: Req<'CreateRoleRequest'>) => ({ role: presentRole(await createRole(ctx, actor, req.role)) }),
  },

  'RolesService.UpdateRole': {
    request: S.UpdateRoleRequest,
    handler: async (ctx, actor, req: Req<'UpdateRoleRequest'>) => ({
      role: presentRole(await updateRole(ctx, actor, req.role.roleID, req.role)),
    }),
  },

  'RolesService.DeleteRole': {
    request: S.RoleRef,
    handler: async (ctx, actor, req: Req<'RoleRef'>) => {
      await deleteRole(ctx, actor, req.roleID);
      return {};
    },
  },

  'RolesService.ArchiveRole': {
    request: S.RoleRef,
    handler: async (ctx, actor, req: Req<'RoleRef'>) => {
      await setRoleArchived(ctx, actor, req.roleID, true);
      return {};
    },
  },

  'RolesService.UnarchiveRole': {
    request: S.RoleRef,
    handler: async (ctx, actor, req: Req<'RoleRef'>) => {
      await setRoleArchived(ctx, actor, req.roleID, false);
      return {};
    },
  },

  'SeveritiesService.GetOrgSeverities': {
    request: S.Empty,
    handler: async (ctx) => ({ severities: (await listSeverities(ctx.db)).map(presentSeverity) }),
  },

  'SeveritiesService.CreateSeverity': {
    request: S.CreateSeverityRequest,
    handler: async (ctx, actor, req: Req<'CreateSeverityRequest'>) => ({ severity: presentSeverity(await createSeverity(ctx, actor, req)) }),
  },

  'SeveritiesService.UpdateSeverity': {
    request: S.UpdateSeverityRequest,
    handler: async (ctx, actor, req: Req<'UpdateSeverityRequest'>) => ({
      severity: presentSeverity(await updateSeverity(ctx, actor, req.severityID, req)),
    }),
  },

  'SeveritiesService.ArchiveSeverity': {
    request: S.SeverityRef,
    handler: async (ctx, actor, req: Req<'SeverityRef'>) => {
      await setSeverityArchived(ctx, actor, req.severityID, true);
      return {};
    },
  },

  'SeveritiesService.UnarchiveSeverity': {
    request: S.SeverityRef,
    handler: async (ctx, actor, req: Req<'SeverityRef'>) => {
      await setSeverityArchived(ctx, actor, req.severityID, false);
      return {};
    },
  },

  'WebhooksService.CreateOutgoingWebhook': {
    request: S.CreateOutgoingWebhookRequest,
    handler: async (ctx, actor, req: Req<'CreateOutgoingWebhookRequest'>) => {
      const row = await createOutgoingWebhook(ctx, actor, req);
      // The only time the secret is shown: receivers need it to check GI-Signature.
      return { webhook: { ...presentWebhook(row), secret: row.secret } };
    },
  },

  'WebhooksService.ListOutgoingWebhooks': {
    request: S.Empty,
    handler: async (ctx, actor) => ({ webhooks: (await listOutgoingWebhooks(ctx.db, actor)).map(presentWebhook) }),
  },

  'WebhooksService.DeleteOutgoingWebhook': {
    request: S.OutgoingWebhookRef,
    handler: async (ctx, actor, req: Req<'OutgoingWebhookRef'>) => {
      await deleteOutgoingWebhook(ctx, actor, req.id);
      return {};
    },
  },
};
