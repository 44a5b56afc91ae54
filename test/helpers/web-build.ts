import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { WEB_DIST } from '../../src/http/web/static.ts';

/** Builds the web UI when web/dist is missing (npm ci and scripts/test-all.sh normally have built it). */
export function ensureWebBuilt(): void {
  if (!fs.existsSync(`${WEB_DIST}index.html`)) execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
}
