import { invalid } from '../../domain/errors.ts';
import {
  changeOwner,
  finishIncident,
  followIncident,
  getIncidentMetadata,
  listFollowers,
  listStatusUpdates,
  postStatusUpdate,
  restoreIncident,
  unfollowIncident,
  updateIncident,
  type IncidentMetadata,
  type StatusUpdateView,
} from '../../domain/incidents/lifecycle.ts';
import { snoozeReminder } from '../../domain/incidents/status.ts';
import type { App } from '../app-type.ts';
import { IdParams } from '../schemas.ts';
import { presentRun } from './runs.present.ts';
import {
  ChangeOwnerBody,
  NextStageDialogBody,
  SnoozeBody,
  StatusUpdateBody,
  StatusUpdateDialogBody,
  UpdateRunBody,
} from './run-lifecycle.schema.ts';

const OK = { status: 'OK' };

/** `num_members` is the spec's name, `num_participants` what the real server sends: both carry the count. */
function presentMetadata(m: IncidentMetadata) {
  return {
    channel_name: m.channelName,
    channel_display_name: m.channelDisplayName,
    team_name: m.teamName,
    num_participants: m.numParticipants,
    num_members: m.numParticipants,
    total_posts: m.totalPosts,
    followers: m.followerIds,
  };
}

function presentStatusUpdate(u: StatusUpdateView) {
  return {
    id: u.id,
    create_at: u.create_at,
    delete_at: u.delete_at,
    message: u.message,
    user_id: u.user_id,
    author_user_name: u.author_username,
  };
}

/** A non-negative whole number written as digits, as dialogs send numbers. */
function digits(field: string, value: string): number {
  if (!/^\d{1,9}$/.test(value.trim())) throw invalid(field, `${field} must be a whole number written as digits`);
  return Number(value.trim());
}

/** A run's life: its fields and stage, finish and restore, status updates and reminders, owner, followers. */
export async function runLifecycleRoutes(app: App): Promise<void> {
  stateRoutes(app);
  statusRoutes(app);
  peopleRoutes(app);
}

/** Fields, stage, finish and restore (and the spec's END-era names for them). */
function stateRoutes(app: App): void {
  const ctx = app.services.ctx;

  app.patch('/runs/:id', { schema: { params: IdParams, body: UpdateRunBody } }, async (request) => {
    const body = request.body;
    const detail = await updateIncident(ctx, request.actor, request.params.id, {
      active_stage: body.active_stage,
      name: body.name,
      summary: body.summary ?? body.description,
    });
    return presentRun(detail);
  });

  app.post('/runs/:id/next-stage-dialog', { schema: { params: IdParams, body: NextStageDialogBody } }, async (request, reply) => {
    const stage = digits('state', request.body.state);
    await updateIncident(ctx, request.actor, request.params.id, { active_stage: stage });
    return reply.code(200).send();
  });

  app.put('/runs/:id/finish', { schema: { params: IdParams } }, async (request) => {
    await finishIncident(ctx, request.actor, request.params.id);
    return OK;
  });

  app.put('/runs/:id/restore', { schema: { params: IdParams } }, async (request) => {
    await restoreIncident(ctx, request.actor, request.params.id);
    return OK;
  });

  // The spec's END-era pair, mapped onto finish/restore. They answered 200 with no body.
  for (const method of ['PUT', 'POST'] as const) {
    app.route({
      method,
      url: '/runs/:id/end',
      schema: { params: IdParams },
      handler: async (request, reply) => {
        await finishIncident(ctx, request.actor, request.params.id);
        return reply.code(200).send();
      },
    });
  }
  app.put('/runs/:id/restart', { schema: { params: IdParams } }, async (request, reply) => {
    await restoreIncident(ctx, request.actor, request.params.id);
    return reply.code(200).send();
  });
}

/** Status updates (API and dialog), the reminder snooze, and what a run reports about itself. */
function statusRoutes(app: App): void {
  const ctx = app.services.ctx;

  app.post('/runs/:id/status', { schema: { params: IdParams, body: StatusUpdateBody } }, async (request) => {
    const { message, reminder, finish_run } = request.body;
    await postStatusUpdate(ctx, request.actor, request.params.id, { message, reminder, finish_run });
    return OK;
  });

  app.post('/runs/:id/update-status-dialog', { schema: { params: IdParams, body: StatusUpdateDialogBody } }, async (request, reply) => {
    const { message, reminder, finish_run } = request.body.submission;
    await postStatusUpdate(ctx, request.actor, request.params.id, {
      message,
      reminder: reminder ? digits('submission.reminder', reminder) : 0,
      finish_run: finish_run === true || finish_run === 'true',
    });
    return reply.code(200).send();
  });

  app.post('/runs/:id/reminder', { schema: { params: IdParams, body: SnoozeBody } }, async (request, reply) => {
    await snoozeReminder(ctx, request.actor, request.params.id, request.body.new_reminder_seconds);
    return reply.code(204).send();
  });

  app.get('/runs/:id/metadata', { schema: { params: IdParams } }, async (request) => {
    return presentMetadata(await getIncidentMetadata(ctx.db, request.actor, request.params.id));
  });

  app.get('/runs/:id/status-updates', { schema: { params: IdParams } }, async (request) => {
    return (await listStatusUpdates(ctx.db, request.actor, request.params.id)).map(presentStatusUpdate);
  });
}

/** The owner and the followers. */
function peopleRoutes(app: App): void {
  const ctx = app.services.ctx;

  app.post('/runs/:id/owner', { schema: { params: IdParams, body: ChangeOwnerBody } }, async (request) => {
    await changeOwner(ctx, request.actor, request.params.id, request.body.owner_id);
    return {};
  });

  app.get('/runs/:id/followers', { schema: { params: IdParams } }, async (request) => {
    return listFollowers(ctx.db, request.actor, request.params.id);
  });

  app.put('/runs/:id/followers', { schema: { params: IdParams } }, async (request, reply) => {
    await followIncident(ctx, request.actor, request.params.id);
    return reply.code(200).send();
  });

  app.delete('/runs/:id/followers', { schema: { params: IdParams } }, async (request, reply) => {
    await unfollowIncident(ctx, request.actor, request.params.id);
    return reply.code(200).send();
  });
}
