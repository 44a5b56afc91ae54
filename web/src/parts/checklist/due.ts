import * as chrono from 'chrono-node';
import { duration } from '../../format.ts';

/** "tomorrow 9am", "in 2 hours", "friday 17:00": the instant in the browser's time zone, or null. */
export function parseDue(text: string, now: number): number | null {
  const parsed = chrono.parseDate(text, new Date(now), { forwardDate: true });
  return parsed ? parsed.getTime() : null;
}

/** The due chip's words: never colour alone, so "Overdue" is read out and visible in any theme. */
export function dueText(due: number, now: number): { text: string; overdue: boolean } {
  if (due <= now) return { text: `Overdue ${duration(now - due)}`, overdue: true };
  return { text: `Due in ${duration(due - now)}`, overdue: false };
}
