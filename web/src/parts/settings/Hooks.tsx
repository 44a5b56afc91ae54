import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.ts';
import { dateTime } from '../../format.ts';

const MUSTER = '/api/muster/v1';

interface Subscription {
  id: string;
  source: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabled_reason: string;
  create_at: number;
}
interface Integration {
  id: string;
  kind: string;
  name: string;
  auto_resolve: boolean;
  create_at: number;
}

/** Outgoing webhook subscriptions (from either API) and alert integrations, as the server lists them. */
export function Hooks() {
  const subs = useQuery({ queryKey: ['webhook-subscriptions'], queryFn: async () => (await api<{ items: Subscription[] }>('GET', `${MUSTER}/webhooks`)).items });
  const integrations = useQuery({ queryKey: ['integrations'], queryFn: async () => (await api<{ items: Integration[] }>('GET', `${MUSTER}/integrations`)).items });
  return (
    <section className="card" aria-labelledby="set-hooks" id="webhooks">
      <h2 id="set-hooks">Webhooks and integrations</h2>
      <h3>Webhook subscriptions</h3>
      {subs.isError && <p className="error" role="alert">{subs.error.message}</p>}
      <ul className="plain settings-list">
        {(subs.data ?? []).map((s) => (
          <li key={s.id}>
            <code>{s.url}</code>{' '}
            <span className="hint">{`${s.source} · ${s.events.join(', ') || 'all events'} · ${s.enabled ? 'enabled' : `disabled${s.disabled_reason ? `: ${s.disabled_reason}` : ''}`} · ${dateTime(s.create_at)}`}</span>
          </li>
        ))}
      </ul>
      {subs.data?.length === 0 && <p className="empty">No webhook subscriptions.</p>}
      <h3>Integrations</h3>
      {integrations.isError && <p className="error" role="alert">{integrations.error.message}</p>}
      <ul className="plain settings-list">
        {(integrations.data ?? []).map((i) => (
          <li key={i.id}>
            <strong>{i.name}</strong> <span className="hint">{`${i.kind}${i.auto_resolve ? ' · auto-resolves' : ''} · ${dateTime(i.create_at)}`}</span>
          </li>
        ))}
      </ul>
      {integrations.data?.length === 0 && <p className="empty">No integrations.</p>}
    </section>
  );
}
