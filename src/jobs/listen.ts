import { JOBS_CHANNEL } from '../store/jobs.repo.ts';
import { listenOn, type Listening } from '../store/listen.ts';

const RECONNECT_MS = 1000;

/**
 * On a shared PostgreSQL, wakes this process's runner when another process commits a job (NOTIFY on
 * JOBS_CHANNEL), so a delivery is attempted within a second of its commit rather than at the next poll.
 * While the connection is down the runner still polls; it reconnects by itself.
 */
export function listenForJobs(connectionString: string, wake: () => void): Promise<Listening> {
  return listenOn({ connectionString }, JOBS_CHANNEL, RECONNECT_MS, {
    onNotify: wake,
    onListening: wake, // anything committed while we were not listening
  });
}
