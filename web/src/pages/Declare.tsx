import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { api, PB, rpc, type Run } from '../api.ts';
import { severityLabel } from '../format.ts';
import { usePlaybooks, useSeverities } from '../hooks.ts';
import { useMe } from '../session.ts';

interface Form {
  title: string;
  severity: string;
  playbookId: string;
  labels: string;
  drill: boolean;
}

/**
 * Declares through the API that fits: with a playbook, Playbooks' POST /runs (its team, checklists and
 * reminder); without, the RPC's CreateIncident (the caller's team; the alert link and caption attached).
 */
async function declare(form: Form, ownerId: string, teamOf: (id: string) => string, link: { url?: string; caption?: string }): Promise<string> {
  const labels = form.labels.split(',').map((l) => l.trim()).filter(Boolean);
  if (form.playbookId) {
    const run = await api<Run>('POST', `${PB}/runs`, {
      name: form.title,
      owner_user_id: ownerId,
      team_id: teamOf(form.playbookId),
      playbook_id: form.playbookId,
      severity: form.severity,
      is_drill: form.drill,
      labels,
      description: link.url ? `[${link.caption || link.url}](${link.url})` : undefined,
    });
    return run.id;
  }
  const created = await rpc<{ incident: { incidentID: string } }>('IncidentsService.CreateIncident', {
    title: form.title,
    severity: form.severity,
    isDrill: form.drill,
    labels: labels.map((label) => ({ label })),
    status: 'active',
    attachURL: link.url,
    attachCaption: link.caption,
  });
  return created.incident.incidentID;
}

export function Declare() {
  const prefill = useSearch({ strict: false }) as { title?: string; url?: string; caption?: string };
  const me = useMe();
  const playbooks = usePlaybooks();
  const severities = useSeverities();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form, setForm] = useState<Form>({ title: prefill.title ?? '', severity: 'pending', playbookId: '', labels: '', drill: false });
  const [url, setUrl] = useState(prefill.url ?? '');
  const mutation = useMutation({
    mutationFn: () =>
      declare(form, me.data?.id ?? '', (id) => playbooks.data?.find((p) => p.id === id)?.team_id ?? '', {
        url: url || undefined,
        caption: prefill.caption,
      }),
    onSuccess: (id) => {
      void client.invalidateQueries({ queryKey: ['incidents'] });
      void navigate({ to: '/incidents/$id', params: { id }, search: {} });
    },
  });
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (form.title.trim() && !mutation.isPending) mutation.mutate();
  };
  const ctrlEnter = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
  };
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <main className="page narrow">
      <h1>Declare an incident</h1>
      <form className="card stack" onSubmit={submit} onKeyDown={ctrlEnter} aria-label="Declare an incident">
        <label>
          Title <span className="req">(required)</span>
          <input value={form.title} onChange={(e) => set({ title: e.target.value })} required autoFocus maxLength={1024} />
        </label>
        <label>
          Severity
          <select value={form.severity} onChange={(e) => set({ severity: e.target.value })}>
            <option value="pending">Pending</option>
            {(severities.data ?? []).filter((s) => s.displayLabel !== 'pending').map((s) => (
              <option key={s.displayLabel} value={s.displayLabel}>
                {severityLabel(s.displayLabel)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Playbook
          <select value={form.playbookId} onChange={(e) => set({ playbookId: e.target.value })}>
            <option value="">None</option>
            {(playbooks.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Labels <span className="hint">(comma separated)</span>
          <input value={form.labels} onChange={(e) => set({ labels: e.target.value })} />
        </label>
        <label>
          Link <span className="hint">(an alert or dashboard)</span>
          <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={form.drill} onChange={(e) => set({ drill: e.target.checked })} />
          This is a drill
        </label>
        {mutation.isError && (
          <p className="error" role="alert">
            {mutation.error.message}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={!form.title.trim() || mutation.isPending}>
            Declare
          </button>
          <span className="hint">Ctrl+Enter</span>
        </div>
      </form>
    </main>
  );
}
