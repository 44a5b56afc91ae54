import { fireStatusReminder, REMINDER_TIMER } from '../domain/incidents/status.ts';
import type { TimerHandler } from './timers.ts';

/** Timer kind → what to do when it comes due. */
export const timerHandlers: Record<string, TimerHandler> = {
  [REMINDER_TIMER]: (ctx, timer) => fireStatusReminder(ctx, String(timer.payload.incident_id)),
};
