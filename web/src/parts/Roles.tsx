import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, displayName, PB, rpc, type Run, type User } from '../api.ts';
import { useMe } from '../session.ts';

interface RoleDef {
  roleID: number;
  name: string;
  archived: boolean;
}
interface Assignment {
  roleID: number;
  role: { name: string };
  user: { userID: string; name: string };
}

const PREFIX = 'grafana-incident:';
const label = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export function useMembership(id: string) {
  return useQuery({
    queryKey: ['membership', id],
    queryFn: async () => (await rpc<{ assignments: Assignment[] }>('IncidentsService.GetIncidentMembership', { incidentID: id })).assignments,
  });
}

function useRoleDefs() {
  return useQuery({
    queryKey: ['roles'],
    queryFn: async () => (await rpc<{ roles: RoleDef[] }>('RolesService.GetRoles', {})).roles.filter((r) => !r.archived && r.name !== 'commander'),
    staleTime: 300_000,
  });
}

function useRunChange(run: Run) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (send: () => Promise<unknown>) => send(),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: ['membership', run.id] });
      await client.invalidateQueries({ queryKey: ['run', run.id] });
    },
  });
}

/**
 * Every role of the organisation with who holds it; each has a select that takes type-ahead, and a remove
 * button per holder. Commander is not here: it is the run's owner, chosen in its own select above.
 */
export function Roles({ run, users }: { run: Run; users: Map<string, User> }) {
  const roles = useRoleDefs().data ?? [];
  const assignments = useMembership(run.id).data ?? [];
  const change = useRunChange(run);
  const assign = (role: string, userId: string) =>
    change.mutate(() => rpc('IncidentsService.AssignRole', { incidentID: run.id, role, userID: `${PREFIX}${userId}` }));
  const unassign = (role: string, userID: string) => change.mutate(() => rpc('IncidentsService.UnassignRole', { incidentID: run.id, role, userID }));
  return (
    <>
      {roles.map((role) => {
        const holders = assignments.filter((a) => a.roleID === role.roleID);
        return (
          <div key={role.roleID} className="role">
            <span className="role-name">{label(role.name)}</span>
            {holders.map((a) => (
              <span key={a.user.userID} className="chip">
                {a.user.name}
                <button type="button" className="chip-x" aria-label={`Unassign ${a.user.name} from ${role.name}`} onClick={() => unassign(role.name, a.user.userID)}>
                  ×
                </button>
              </span>
            ))}
            <select aria-label={`Assign ${role.name}`} value="" onChange={(e) => e.target.value && assign(role.name, e.target.value)}>
              <option value="">{holders.length ? 'add…' : 'assign…'}</option>
              {[...users.values()].map((u) => (
                <option key={u.id} value={u.id}>
                  {displayName(u)}
                </option>
              ))}
            </select>
          </div>
        );
      })}
      {change.isError && (
        <span className="error" role="alert">
          {change.error.message}
        </span>
      )}
    </>
  );
}

/** Followers get the run's status updates; the signed-in user can follow or stop. */
export function Followers({ run, users }: { run: Run; users: Map<string, User> }) {
  const me = useMe().data;
  const change = useRunChange(run);
  const following = Boolean(me && run.follower_ids.includes(me.id));
  return (
    <>
      {run.follower_ids.length === 0 ? (
        <span className="hint">none</span>
      ) : (
        <ul className="people">
          {run.follower_ids.map((id) => (
            <li key={id}>{displayName(users.get(id))}</li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="small"
        aria-pressed={following}
        onClick={() => change.mutate(() => api(following ? 'DELETE' : 'PUT', `${PB}/runs/${run.id}/followers`))}
      >
        {following ? 'Unfollow' : 'Follow'}
      </button>
      {change.isError && (
        <span className="error" role="alert">
          {change.error.message}
        </span>
      )}
    </>
  );
}
