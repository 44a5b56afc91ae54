import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMuster, type Muster, type StartOptions } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { SYSTEM_ACTOR } from '../../src/domain/context.ts';
import { addTeamMember, createTeam, createToken, createUser } from '../../src/domain/identity/identity.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { freshDatabase } from './postgres.ts';

export type DbKind = 'pglite' | 'postgres';

/** The Playbooks REST API's base path. */
export const API = '/plugins/playbooks/api/v0';
/** The Grafana Incident RPC API's base path (methods are `<Service>.<Method>` below it). */
export const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';

/** Which databases the suites run on: both by default; MUSTER_TEST_DBS=pglite (or postgres) narrows it. */
export function testDatabases(): DbKind[] {
  const wanted = (process.env.MUSTER_TEST_DBS ?? 'pglite,postgres').split(',').map((s) => s.trim());
  return (['pglite', 'postgres'] as const).filter((kind) => wanted.includes(kind));
}

export interface TestUser {
  id: string;
  username: string;
  token: string;
}

export interface Response<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class Harness {
  constructor(
    readonly kind: DbKind,
    readonly muster: Muster,
    readonly clock: FakeClock | undefined,
    readonly admin: TestUser,
    readonly teamId: string,
    private readonly cleanup: () => void,
  ) {}

  get url(): string {
    return this.muster.url;
  }

  get ctx() {
    return this.muster.services.ctx;
  }

  /** Sends a request. `body` objects are sent as JSON; strings are sent as given. */
  async request<T = any>(
    method: string,
    urlPath: string,
    opts: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? this.admin.token : opts.token;
    if (token) headers.authorization ??= `Bearer ${token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.url + urlPath, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep text */
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get = <T = any>(p: string, token?: string | null) => this.request<T>('GET', p, { token });
  post = <T = any>(p: string, body?: unknown, token?: string | null) => this.request<T>('POST', p, { body, token });
  put = <T = any>(p: string, body?: unknown, token?: string | null) => this.request<T>('PUT', p, { body, token });
  patch = <T = any>(p: string, body?: unknown, token?: string | null) => this.request<T>('PATCH', p, { body, token });
  delete = <T = any>(p: string, token?: string | null) => this.request<T>('DELETE', p, { token });

  /** Calls an RPC method (`IncidentsService.GetIncident`, ...) as `token` (default: the admin). */
  rpc = <T = any>(method: string, body: unknown, token?: string | null) => this.post<T>(`${RPC}/${method}`, body, token);

  /** Calls an RPC method that must succeed (200, empty error); returns the response body. */
  async rpcOk<T = any>(method: string, body: unknown, token?: string | null): Promise<T> {
    const res = await this.rpc(method, body, token);
    assert.equal(res.status, 200, `${method} ${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.error, '');
    return res.body as T;
  }

  /** Calls an RPC method that must fail with `status`, its error message matching `pattern` when given. */
  async rpcFails(method: string, body: unknown, status: number, pattern?: RegExp, token?: string | null): Promise<void> {
    const res = await this.rpc(method, body, token);
    assert.equal(res.status, status, `${method} ${JSON.stringify(body)}: ${res.text}`);
    assert.equal(typeof res.body.error, 'string');
    assert.notEqual(res.body.error, '');
    if (pattern) assert.match(res.body.error, pattern);
  }

  /** A new user with a token; joins the default team unless `team: false`. */
  async user(name?: string, opts: { team?: string | false; admin?: boolean } = {}): Promise<TestUser> {
    const username = name ?? `u${Math.random().toString(36).slice(2, 10)}`;
    const user = await createUser(this.ctx, SYSTEM_ACTOR, {
      username,
      email: `${username}@example.com`,
      password: 'password-123',
      is_admin: opts.admin ?? false,
    });
    if (opts.team !== false) await addTeamMember(this.ctx, SYSTEM_ACTOR, { team_id: opts.team ?? this.teamId, user_id: user.id });
    const token = await createToken(this.ctx, SYSTEM_ACTOR, { user_id: user.id, description: 'test' });
    return { id: user.id, username, token: token.token };
  }

  async team(name?: string): Promise<string> {
    const team = await createTeam(this.ctx, SYSTEM_ACTOR, {
      name: name ?? `t${Math.random().toString(36).slice(2, 10)}`,
      display_name: 'Test team',
    });
    return team.id;
  }

  async close(): Promise<void> {
    await this.muster.close();
    this.cleanup();
  }

  /** Closes the server and opens a new one on the same database (a restart). */
  async restart(opts: StartOptions = {}): Promise<Harness> {
    await this.muster.close();
    const muster = await startMuster(this.muster.config, { clock: this.clock, runTimers: false, ...opts });
    return new Harness(this.kind, muster, this.clock, this.admin, this.teamId, this.cleanup);
  }
}

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/** Starts Muster on a fresh database of the given kind, on a loopback port. */
export async function startHarness(
  kind: DbKind,
  opts: { fakeClock?: boolean; fakeClockAt?: number; env?: NodeJS.ProcessEnv } & StartOptions = {},
): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-test-'));
  const env: NodeJS.ProcessEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    MUSTER_DATA_DIR: dataDir,
    MUSTER_ADMIN_TOKEN: ADMIN_TOKEN,
    MUSTER_LOG_LEVEL: process.env.MUSTER_LOG_LEVEL ?? 'silent',
    ...opts.env,
  };
  if (kind === 'postgres') env.DATABASE_URL = await freshDatabase();
  const config = loadConfig(env);
  const clock = opts.fakeClock || opts.fakeClockAt ? new FakeClock(opts.fakeClockAt ?? Date.UTC(2026, 10, 1, 12)) : undefined;
  const muster = await startMuster(config, { clock, runTimers: false, ...opts });
  const boot = muster.bootstrapped!;
  return new Harness(
    kind,
    muster,
    clock,
    { id: boot.admin.id, username: boot.admin.username, token: ADMIN_TOKEN },
    boot.team.id,
    () => fs.rmSync(dataDir, { recursive: true, force: true }),
  );
}
