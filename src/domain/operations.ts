// What an operator's dashboard reads about Muster itself (the /metrics gauges that need the database).
import { operationsRepo } from '../store/operations.repo.ts';
import type { DomainContext } from './context.ts';
import { groupCommitStats } from './incidents/group-commit.ts';

export interface QueueFigures {
  /** Jobs due and not leased, per kind, and the age of the oldest of each kind in seconds. */
  dueJobs: Array<{ kind: string; due: number; oldestAgeSeconds: number }>;
  deliveries: Array<{ status: string; count: number }>;
}

export async function queueFigures(ctx: DomainContext): Promise<QueueFigures> {
  const now = ctx.clock.now();
  const [jobs, deliveries] = await Promise.all([operationsRepo.dueJobs(ctx.db, now), operationsRepo.deliveriesByStatus(ctx.db)]);
  return {
    dueJobs: jobs.map((j) => ({ kind: j.kind, due: Number(j.due), oldestAgeSeconds: Math.max(0, (now - Number(j.oldest)) / 1000) })),
    deliveries: deliveries.map((d) => ({ status: d.status, count: Number(d.n) })),
  };
}

/** Writes merged by the group commit since the start (batches, writes in them, batches that fell back). */
export function groupCommitFigures(): { batches: number; writes: number; fallbacks: number } {
  return { ...groupCommitStats };
}
