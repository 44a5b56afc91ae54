/** A small fetch client for setting up fixtures (not for load: autocannon drives the load). */

export const PLAYBOOKS = '/plugins/playbooks/api/v0';
export const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';
export const V4 = '/api/v4';

export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep the text */
    }
    return { status: res.status, body: parsed as T, text };
  }

  /** Like request, but any non-2xx is an error naming the call. */
  async ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request<T>(method, path, body);
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    return res.body;
  }

  as(token: string): Api {
    return new Api(this.baseUrl, token);
  }
}

export interface Member {
  api: Api;
  userId: string;
  teamId: string;
}

/** A regular (non-admin) user in the bootstrap team with a personal access token: the load runs as them. */
export async function createMember(admin: Api, name: string): Promise<Member> {
  const [team] = await admin.ok<Array<{ id: string }>>('GET', `${V4}/users/me/teams`);
  if (!team) throw new Error('the bootstrap team is missing');
  const user = await admin.ok<{ id: string }>('POST', `${V4}/users`, {
    username: name,
    email: `${name}@bench.example.com`,
    password: 'bench-password-1',
  });
  await admin.ok('POST', `${V4}/teams/${team.id}/members`, { team_id: team.id, user_id: user.id });
  const issued = await admin.ok<{ token: string }>('POST', `${V4}/users/${user.id}/tokens`, { description: 'bench' });
  return { api: admin.as(issued.token), userId: user.id, teamId: team.id };
}

/** Declares a Playbooks run owned by the member, optionally from a playbook; returns its id. */
export async function createRun(member: Member, name: string, playbookId?: string): Promise<string> {
  const run = await member.api.ok<{ id: string }>('POST', `${PLAYBOOKS}/runs`, {
    name,
    owner_user_id: member.userId,
    team_id: member.teamId,
    ...(playbookId ? { playbook_id: playbookId } : {}),
  });
  return run.id;
}

/** A playbook with one checklist of `items` items. */
export async function createPlaybook(member: Member, title: string, items: number): Promise<string> {
  const created = await member.api.ok<{ id: string }>('POST', `${PLAYBOOKS}/playbooks`, {
    title,
    team_id: member.teamId,
    public: true,
    checklists: [{ title: 'Response', items: Array.from({ length: items }, (_, i) => ({ title: `Step ${i + 1}` })) }],
  });
  return created.id;
}
