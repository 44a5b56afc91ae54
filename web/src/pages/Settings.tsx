import { Hooks } from '../parts/settings/Hooks.tsx';
import { RolesSettings, Severities } from '../parts/settings/Catalogue.tsx';
import { Teams, Users } from '../parts/settings/People.tsx';
import { Tokens } from '../parts/settings/Tokens.tsx';

const SECTIONS: Array<[string, string]> = [
  ['users', 'Users'],
  ['teams', 'Teams'],
  ['tokens', 'API tokens'],
  ['severities', 'Severities'],
  ['roles', 'Roles'],
  ['webhooks', 'Webhooks'],
];

/** What an admin sets up once: people, tokens, the severity and role catalogues, and what is wired out. */
export function Settings() {
  return (
    <main className="page settings">
      <h1>Settings</h1>
      <nav aria-label="Settings sections" className="task-filters">
        {SECTIONS.map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>
      <div className="settings-grid">
        <Users />
        <Teams />
        <Tokens />
        <Severities />
        <RolesSettings />
        <Hooks />
      </div>
    </main>
  );
}
