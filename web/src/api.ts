/**
 * The browser's only way to the server: the Playbooks REST API, the Grafana Incident RPC API and the
 * Mattermost identity calls, all with the session cookie. Every call sends `X-Requested-With`, which the
 * server requires of cookie-authenticated unsafe requests (CSRF: a cross-site form cannot set it, and a
 * cross-site script cannot send it without a CORS preflight the server never grants).
 */
export const PB = '/plugins/playbooks/api/v0';
export const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, messageOf(data) ?? `${res.status} ${res.statusText}`);
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function messageOf(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    for (const key of ['message', 'error', 'detailed_error']) if (typeof d[key] === 'string' && d[key]) return d[key];
  }
  return undefined;
}

export function rpc<T>(method: string, body: unknown): Promise<T> {
  return api<T>('POST', `${RPC}/${method}`, body);
}

export interface User {
  id: string;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  nickname: string;
  roles: string;
}

export interface Item {
  id: string;
  title: string;
  state: '' | 'in_progress' | 'closed' | 'skipped';
  assignee_id: string;
  due_date: number;
  command: string;
  command_last_run: number;
  description: string;
}

export interface Checklist {
  id: string;
  title: string;
  items: Item[];
}

export interface TimelineEvent {
  id: string;
  event_at: number;
  event_type: string;
  summary: string;
  details: string;
  subject_user_id: string;
  creator_user_id: string;
  delete_at: number;
}

export interface Run {
  id: string;
  number: number;
  name: string;
  summary: string;
  current_status: 'InProgress' | 'Finished';
  owner_user_id: string;
  reporter_user_id: string;
  create_at: number;
  end_at: number;
  last_status_update_at: number;
  previous_reminder: number;
  reminder_timer_default_seconds: number;
  checklists: Checklist[];
  timeline_events: TimelineEvent[];
  participant_ids: string[];
  follower_ids: string[];
  severity: string;
  labels: string[];
  is_drill: boolean;
  playbook_id: string;
}

export interface StatusUpdate {
  id: string;
  create_at: number;
  message: string;
  user_id: string;
  author_user_name: string;
}

export interface RpcIncident {
  incidentID: string;
  title: string;
  severity: string;
  status: 'active' | 'resolved';
  isDrill: boolean;
  createdTime: string;
  labels: Array<{ label: string }>;
  roles: Array<{ role: string; user: { name: string } | null }>;
  taskList: { todoCount: number; doneCount: number };
}

export interface Playbook {
  id: string;
  title: string;
  team_id: string;
}

export function displayName(user: User | undefined, fallback = 'someone'): string {
  if (!user) return fallback;
  const full = `${user.first_name} ${user.last_name}`.trim();
  return user.nickname || full || user.username;
}
