import { useQuery } from '@tanstack/react-query';
import { api, PB, type Run, type StatusUpdate } from './api.ts';

export function useRun(id: string) {
  return useQuery({ queryKey: ['run', id], queryFn: () => api<Run>('GET', `${PB}/runs/${id}`) });
}

export function useStatusUpdates(id: string) {
  return useQuery({
    queryKey: ['status-updates', id],
    queryFn: () => api<StatusUpdate[]>('GET', `${PB}/runs/${id}/status-updates`),
  });
}

/** When the next status update is due (epoch ms), or null when no reminder is set. */
export function nextUpdateDue(run: Run): number | null {
  const seconds = run.previous_reminder / 1e9;
  if (run.current_status !== 'InProgress' || seconds <= 0) return null;
  return (run.last_status_update_at || run.create_at) + seconds * 1000;
}
