import { createRootRoute, createRoute, createRouter, redirect } from '@tanstack/react-router';
import { Shell } from './parts/Shell.tsx';
import { IncidentList } from './pages/IncidentList.tsx';
import { IncidentPage } from './pages/IncidentPage.tsx';
import { Declare } from './pages/Declare.tsx';
import { NotFound } from './pages/NotFound.tsx';
import { PlaybookList } from './pages/Playbooks.tsx';
import { PlaybookEditor } from './pages/PlaybookEditor.tsx';
import { Settings } from './pages/Settings.tsx';

/** List filters, all in the URL so a reload, Back or a shared link shows the same list. */
export interface ListSearch {
  status?: 'active' | 'resolved' | 'all';
  severity?: string;
  label?: string;
  drills?: boolean;
  mine?: boolean;
  q?: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function listSearch(search: Record<string, unknown>): ListSearch {
  const status = search.status === 'resolved' || search.status === 'all' ? search.status : undefined;
  return {
    status,
    severity: str(search.severity),
    label: str(search.label),
    drills: search.drills === true || search.drills === 'true' ? true : undefined,
    mine: search.mine === true || search.mine === 'true' ? true : undefined,
    q: str(search.q),
  };
}

const rootRoute = createRootRoute({ component: Shell, notFoundComponent: NotFound });
const home = createRoute({ getParentRoute: () => rootRoute, path: '/', validateSearch: listSearch, component: IncidentList });
const list = createRoute({ getParentRoute: () => rootRoute, path: '/incidents', validateSearch: listSearch, component: IncidentList });
const declare = createRoute({
  getParentRoute: () => rootRoute,
  path: '/incidents/new',
  validateSearch: (s: Record<string, unknown>): { title?: string; url?: string; caption?: string } => ({
    title: str(s.title),
    url: str(s.url),
    caption: str(s.caption),
  }),
  component: Declare,
});
const incident = createRoute({
  getParentRoute: () => rootRoute,
  path: '/incidents/$id',
  // `tl`: the timeline kinds shown, comma separated; absent = every kind but system events.
  validateSearch: (s: Record<string, unknown>): { tl?: string } => ({ tl: str(s.tl) }),
  component: IncidentPage,
});

const playbooks = createRoute({ getParentRoute: () => rootRoute, path: '/playbooks', component: PlaybookList });
const playbook = createRoute({ getParentRoute: () => rootRoute, path: '/playbooks/$id', component: PlaybookEditor });
// Playbooks' details_url (webhooks, intake answers, links in chat) points here: the same run's war room.
const playbooksRun = createRoute({
  getParentRoute: () => rootRoute,
  path: '/playbooks/runs/$id',
  beforeLoad: ({ params }) => {
    throw redirect({ to: '/incidents/$id', params: { id: params.id }, replace: true });
  },
});
const settings = createRoute({ getParentRoute: () => rootRoute, path: '/settings', component: Settings });

export const router = createRouter({ routeTree: rootRoute.addChildren([home, list, declare, incident, playbooks, playbooksRun, playbook, settings]) });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
