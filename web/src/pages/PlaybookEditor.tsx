import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { api, PB, type User } from '../api.ts';
import { useUsers } from '../hooks.ts';
import { toBody, usePlaybook, type PlaybookDoc } from '../playbook.ts';
import { ChecklistsEditor } from '../parts/playbook/ChecklistsEditor.tsx';
import { Basics, Members, Updates, Webhooks } from '../parts/playbook/Sections.tsx';

function useSave() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (send: () => Promise<unknown>) => send(),
    onSettled: () => client.invalidateQueries({ queryKey: ['playbooks'] }),
  });
}

function Toolbar({ doc, dirty, onRevert }: { doc: PlaybookDoc; dirty: boolean; onRevert: () => void }) {
  const archive = useSave();
  const archived = doc.delete_at > 0;
  return (
    <div className="pb-toolbar">
      <Link to="/playbooks">← Playbooks</Link>
      <h1>{doc.title || 'Untitled playbook'}</h1>
      {archived && <span className="chip">Archived</span>}
      <span className="pb-toolbar-end">
        {dirty && <span className="hint">Unsaved changes</span>}
        <button type="submit" className="primary" disabled={!dirty || archived}>
          Save playbook
        </button>
        {dirty && (
          <button type="button" onClick={onRevert}>
            Discard
          </button>
        )}
        <button
          type="button"
          onClick={() => archive.mutate(() => (archived ? api('PUT', `${PB}/playbooks/${doc.id}/restore`) : api('DELETE', `${PB}/playbooks/${doc.id}`)))}
        >
          {archived ? 'Restore' : 'Archive'}
        </button>
        {archive.isError && (
          <span className="error" role="alert">
            {archive.error.message}
          </span>
        )}
      </span>
    </div>
  );
}

/** The playbook editor: a local draft of the whole playbook, saved in one PUT (the Playbooks API's form). */
export function PlaybookEditor() {
  const { id } = useParams({ strict: false }) as { id: string };
  const playbook = usePlaybook(id);
  const users = useUsers().data ?? new Map<string, User>();
  const [draft, setDraft] = useState<PlaybookDoc | null>(null);
  const save = useSave();
  const [saved, setSaved] = useState(false);
  useEffect(() => setDraft(null), [id]);
  if (playbook.isPending) return <p className="page">Loading…</p>;
  if (playbook.isError) {
    return (
      <p className="page error" role="alert">
        {playbook.error.message}
      </p>
    );
  }
  const doc = draft ?? playbook.data;
  const set = (p: Partial<PlaybookDoc>) => (setSaved(false), setDraft({ ...doc, ...p }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(() => api('PUT', `${PB}/playbooks/${id}`, toBody(doc)), { onSuccess: () => (setDraft(null), setSaved(true)) });
  };
  return (
    <main className="page pb-editor">
      <form onSubmit={submit} aria-label="Edit playbook">
        <Toolbar doc={doc} dirty={draft !== null} onRevert={() => setDraft(null)} />
        <p role="status" className={save.isError ? 'error' : 'hint'}>
          {save.isError ? `Not saved: ${save.error.message}` : saved ? 'Saved.' : ''}
        </p>
        <fieldset disabled={doc.delete_at > 0} className="pb-grid">
          <legend className="sr-only">Playbook settings</legend>
          <div>
            <Basics doc={doc} set={set} />
            <ChecklistsEditor checklists={doc.checklists} onChange={(checklists) => set({ checklists })} />
          </div>
          <div>
            <Updates key={`u-${id}-${String(draft === null)}`} doc={doc} set={set} />
            <Webhooks key={`w-${id}-${String(draft === null)}`} doc={doc} set={set} />
            <Members doc={doc} set={set} users={users} />
          </div>
        </fieldset>
      </form>
    </main>
  );
}
