import type { Clock } from '../lib/clock.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { Outbound } from '../net/outbound.ts';
import type { Db, Executor } from '../store/db.ts';
import type { ReadCache } from './read-cache.ts';

/** Who is acting. Loaded once per request by the HTTP auth layer (or by the CLI / timers). */
export interface Actor {
  userId: string;
  isAdmin: boolean;
}

/** An outgoing webhook the domain wants sent; the facade that owns the wire format renders its body. */
export interface WebhookEvent {
  source: 'playbooks' | 'incident';
  /** e.g. `run_created`, `status_updated`, `grafana.incident.created`. */
  event: string;
  incidentId: string;
  actorUserId: string;
  payload?: Record<string, unknown>;
}

export type WebhookRenderer = (ex: Executor, event: WebhookEvent, meta: { now: number; siteUrl: string }) => Promise<unknown>;

/** What every domain command needs from the outside world. */
export interface DomainContext {
  db: Db;
  clock: Clock;
  /** Absolute base URL of this server, for links in posts and webhooks. */
  siteUrl: string;
  /** Every outbound HTTP request (webhook deliveries, HTTP slash commands): SSRF-guarded at dial. */
  outbound: Outbound;
  /** Seals and opens the secrets stored in the database (AES-256-GCM, key outside the database). */
  secrets: SecretBox;
  /** Body builders for outgoing webhooks, registered by the facades (keeps wire shapes out of domain/). */
  webhookRenderers: Partial<Record<WebhookEvent['source'], WebhookRenderer>>;
  /** Hot reads served from memory while current (tokens, incident details, view decisions). */
  cache: ReadCache;
  /** Login session lifetimes (idle and absolute); the defaults of identity/sessions.ts when absent. */
  sessionPolicy?: import('./identity/sessions.ts').SessionPolicy | undefined;
}

/** The system actor: timers and bootstrap run as it. */
export const SYSTEM_ACTOR: Actor = { userId: '', isAdmin: true };

/** The incident's page in the web UI, for links in chat messages. */
export const incidentPageUrl = (ctx: Pick<DomainContext, 'siteUrl'>, incidentId: string) => `${ctx.siteUrl.replace(/\/+$/, '')}/incidents/${incidentId}`;
