import type { DeliveryWithAttempts } from '../../domain/delivery-log.ts';
import type { SubscriptionRow } from '../../domain/store-types.ts';

/** A subscription as the delivery log shows it (never its secret). */
export function presentSubscription(s: SubscriptionRow) {
  return {
    id: s.id,
    source: s.source,
    url: s.url,
    events: s.events,
    enabled: s.enabled,
    disabled_reason: s.disabled_reason,
    failing_since: s.failing_since,
    creator_user_id: s.creator_user_id,
    create_at: s.create_at,
  };
}

/** One delivery and every attempt (time, status code, duration, error class, response kept ≤ 1 KiB). */
export function presentDelivery({ delivery: d, attempts }: DeliveryWithAttempts) {
  return {
    id: d.id,
    webhook_id: d.id,
    subscription_id: d.subscription_id,
    source: d.source,
    event: d.event,
    url: d.url,
    incident_id: d.incident_id ?? '',
    status: d.status,
    attempt_count: d.attempts,
    next_attempt_at: d.status === 'pending' ? d.next_attempt_at : 0,
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    create_at: d.create_at,
    done_at: d.done_at,
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      at: a.at,
      status_code: a.status_code,
      duration_ms: a.duration_ms,
      error_class: a.error_class,
      error: a.error,
      response_body: a.response_body,
    })),
  };
}
