import { useState } from 'react';
import { displayName, type User } from '../../api.ts';
import { ADMIN, MEMBER, type Member, type PlaybookDoc } from '../../playbook.ts';

type Patch = (p: Partial<PlaybookDoc>) => void;

const REMINDERS: Array<[number, string]> = [
  [0, 'Never'],
  [900, 'Every 15 minutes'],
  [1800, 'Every 30 minutes'],
  [3600, 'Every hour'],
  [14400, 'Every 4 hours'],
  [86400, 'Every day'],
];

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

export function Basics({ doc, set }: { doc: PlaybookDoc; set: Patch }) {
  return (
    <section className="card form" aria-labelledby="pb-basics">
      <h2 id="pb-basics">Playbook</h2>
      <label>
        Title
        <input value={doc.title} onChange={(e) => set({ title: e.target.value })} required />
      </label>
      <label>
        Description
        <textarea rows={3} value={doc.description} onChange={(e) => set({ description: e.target.value })} />
      </label>
      <label className="check">
        <input type="checkbox" checked={doc.public} onChange={(e) => set({ public: e.target.checked })} />
        Public: everyone in the team can see and run it (private: members only)
      </label>
    </section>
  );
}

export function Updates({ doc, set }: { doc: PlaybookDoc; set: Patch }) {
  const current = doc.status_update_enabled ? doc.reminder_timer_default_seconds : 0;
  const known = REMINDERS.some(([s]) => s === current);
  return (
    <section className="card form" aria-labelledby="pb-updates">
      <h2 id="pb-updates">Status updates</h2>
      <label>
        Default reminder
        <select
          value={current}
          onChange={(e) => {
            const seconds = Number(e.target.value);
            set({ reminder_timer_default_seconds: seconds, status_update_enabled: seconds > 0 || doc.status_update_enabled });
          }}
        >
          {!known && <option value={current}>{`Every ${Math.round(current / 60)} minutes`}</option>}
          {REMINDERS.map(([s, text]) => (
            <option key={s} value={s}>
              {text}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={doc.broadcast_enabled} onChange={(e) => set({ broadcast_enabled: e.target.checked })} />
        Broadcast updates to channels
      </label>
      <label>
        Broadcast channel ids (one a line)
        <ListField value={doc.broadcast_channel_ids} onChange={(v) => set({ broadcast_channel_ids: v })} />
      </label>
    </section>
  );
}

/** A textarea for a list of strings; the text is kept as typed and the list sent on change. */
function ListField({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  const [text, setText] = useState(value.join('\n'));
  return <textarea rows={2} value={text} onChange={(e) => (setText(e.target.value), onChange(lines(e.target.value)))} />;
}

export function Webhooks({ doc, set }: { doc: PlaybookDoc; set: Patch }) {
  return (
    <section className="card form" aria-labelledby="pb-webhooks">
      <h2 id="pb-webhooks">Webhooks</h2>
      <label className="check">
        <input type="checkbox" checked={doc.webhook_on_creation_enabled} onChange={(e) => set({ webhook_on_creation_enabled: e.target.checked })} />
        Send a webhook when a run starts
      </label>
      <label>
        Run-start webhook URLs (one a line)
        <ListField value={doc.webhook_on_creation_urls} onChange={(v) => set({ webhook_on_creation_urls: v })} />
      </label>
      <label className="check">
        <input type="checkbox" checked={doc.webhook_on_status_update_enabled} onChange={(e) => set({ webhook_on_status_update_enabled: e.target.checked })} />
        Send a webhook on each status update
      </label>
      <label>
        Status-update webhook URLs (one a line)
        <ListField value={doc.webhook_on_status_update_urls} onChange={(v) => set({ webhook_on_status_update_urls: v })} />
      </label>
    </section>
  );
}

function MemberRow({ m, users, onChange, onRemove }: { m: Member; users: Map<string, User>; onChange: (m: Member) => void; onRemove: () => void }) {
  const name = displayName(users.get(m.user_id), m.user_id);
  return (
    <li className="role">
      <span className="role-name">{name}</span>
      <select aria-label={`Role of ${name}`} value={m.roles.includes(ADMIN) ? ADMIN : MEMBER} onChange={(e) => onChange({ ...m, roles: e.target.value === ADMIN ? [MEMBER, ADMIN] : [MEMBER] })}>
        <option value={MEMBER}>Member</option>
        <option value={ADMIN}>Admin</option>
      </select>
      <button type="button" className="small ghost" aria-label={`Remove member ${name}`} onClick={onRemove}>
        ×
      </button>
    </li>
  );
}

export function Members({ doc, set, users }: { doc: PlaybookDoc; set: Patch; users: Map<string, User> }) {
  const others = [...users.values()].filter((u) => !doc.members.some((m) => m.user_id === u.id));
  return (
    <section className="card form" aria-labelledby="pb-members">
      <h2 id="pb-members">Members</h2>
      <ul className="plain">
        {doc.members.map((m, i) => (
          <MemberRow
            key={m.user_id}
            m={m}
            users={users}
            onChange={(next) => set({ members: doc.members.map((x, j) => (j === i ? next : x)) })}
            onRemove={() => set({ members: doc.members.filter((_, j) => j !== i) })}
          />
        ))}
      </ul>
      <label>
        Add member
        <select value="" onChange={(e) => e.target.value && set({ members: [...doc.members, { user_id: e.target.value, roles: [MEMBER] }] })}>
          <option value="">choose…</option>
          {others.map((u) => (
            <option key={u.id} value={u.id}>
              {displayName(u)}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}
