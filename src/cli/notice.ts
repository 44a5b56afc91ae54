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

/** The once-only message after a start created the Playbooks webhook signing secret (stored encrypted). */
export function signingSecretNotice(secret: string | undefined): string {
  if (!secret) return '';
  return [
    'Created the signing secret of Playbooks webhooks (Standard Webhooks). Shown once; keep it for your receivers.',
    `  secret:   ${secret}`,
    '  rotate:   muster webhooks rotate-secret --grace-seconds 86400',
    '',
    '',
  ].join('\n');
}
