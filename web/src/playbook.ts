import { useQuery } from '@tanstack/react-query';
import { api, PB } from './api.ts';

export interface TemplateItem {
  title: string;
  description: string;
  command: string;
  assignee_id: string;
  due_date: number;
}
export interface TemplateChecklist {
  title: string;
  items: TemplateItem[];
}
export interface Member {
  user_id: string;
  roles: string[];
}

/** A playbook as GET /playbooks/{id} returns it: the fields the editor changes, the rest sent back as they came. */
export interface PlaybookDoc {
  id: string;
  title: string;
  description: string;
  team_id: string;
  public: boolean;
  delete_at: number;
  num_runs: number;
  active_runs: number;
  num_stages: number;
  num_steps: number;
  last_run_at: number;
  checklists: TemplateChecklist[];
  members: Member[];
  broadcast_enabled: boolean;
  broadcast_channel_ids: string[];
  webhook_on_creation_enabled: boolean;
  webhook_on_creation_urls: string[];
  webhook_on_status_update_enabled: boolean;
  webhook_on_status_update_urls: string[];
  reminder_timer_default_seconds: number;
  status_update_enabled: boolean;
}

export const MEMBER = 'playbook_member';
export const ADMIN = 'playbook_admin';

export function usePlaybookList(withArchived: boolean) {
  return useQuery({
    queryKey: ['playbooks', 'list', withArchived],
    queryFn: async () => (await api<{ items: PlaybookDoc[] }>('GET', `${PB}/playbooks?per_page=200&with_archived=${withArchived}`)).items,
  });
}

export function usePlaybook(id: string) {
  return useQuery({ queryKey: ['playbooks', 'one', id], queryFn: () => api<PlaybookDoc>('GET', `${PB}/playbooks/${id}`) });
}

/** PUT takes the whole playbook; only the fields the PlaybookBody schema knows are sent. */
export function toBody(doc: PlaybookDoc): Record<string, unknown> {
  return {
    title: doc.title,
    description: doc.description,
    team_id: doc.team_id,
    public: doc.public,
    checklists: doc.checklists.map((c) => ({
      title: c.title,
      items: c.items.map((i) => ({ title: i.title, description: i.description, command: i.command, assignee_id: i.assignee_id, due_date: i.due_date })),
    })),
    members: doc.members.map((m) => ({ user_id: m.user_id, roles: m.roles })),
    broadcast_enabled: doc.broadcast_enabled,
    broadcast_channel_ids: doc.broadcast_channel_ids,
    webhook_on_creation_enabled: doc.webhook_on_creation_enabled,
    webhook_on_creation_urls: doc.webhook_on_creation_urls,
    webhook_on_status_update_enabled: doc.webhook_on_status_update_enabled,
    webhook_on_status_update_urls: doc.webhook_on_status_update_urls,
    reminder_timer_default_seconds: doc.reminder_timer_default_seconds,
    status_update_enabled: doc.status_update_enabled,
  };
}
