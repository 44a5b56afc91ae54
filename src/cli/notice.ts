import type { BootstrapResult } from '../domain/identity/identity.ts';

/** The once-only message after the first start created the admin account (secrets are not stored in clear). */
export function firstStartNotice(boot: BootstrapResult, baseUrl: string): string {
  const token = boot.tokenWasProvided ? '$MUSTER_ADMIN_TOKEN' : boot.token;
  return [
    '',
    'First start: created the admin account. This is shown once; keep it.',
    `  user:     ${boot.admin.username}`,
    `  password: ${boot.passwordWasProvided ? '(from MUSTER_ADMIN_PASSWORD)' : boot.password}`,
    `  team:     ${boot.team.name} (id ${boot.team.id})`,
    `  token:    ${boot.tokenWasProvided ? '(from MUSTER_ADMIN_TOKEN)' : boot.token}`,
    `  try:      curl -H "Authorization: Bearer ${token}" ${baseUrl}/api/v4/users/me`,
    '',
    '',
  ].join('\n');
}
