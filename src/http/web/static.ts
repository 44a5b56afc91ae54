import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { App } from '../app-type.ts';

/** Where `npm run build:web` (run by install and, when missing, by start) writes the UI. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** API paths never answered with the UI: an unknown one is the API's own 404. */
const RESERVED = /^\/(api|plugins|healthz|readyz|hooks|metrics|docs|openapi\.json)(\/|$)/;

/** The page may load only its own scripts and styles; markdown can never bring in script or frames. */
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/**
 * The built UI at `/`: files under web/dist by name (hashed assets cached for a year), and index.html for
 * every other GET outside the API prefixes, so client-side routes (`/incidents/…`) survive a reload.
 */
export async function webAssetRoutes(app: App): Promise<void> {
  const built = fs.existsSync(`${WEB_DIST}index.html`);
  if (built) await app.register(fastifyStatic, { root: WEB_DIST, serve: false });
  app.get('/*', { config: { public: true }, schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (RESERVED.test(path)) return reply.callNotFound();
    if (!built) {
      return reply.code(503).type('text/plain').send('The web UI is not built: run `npm run build:web` (npm ci does it).');
    }
    void reply.header('x-content-type-options', 'nosniff');
    if (path.startsWith('/assets/')) return reply.sendFile(path.slice(1), { immutable: true, maxAge: 31_536_000_000 });
    if (/\.[a-z0-9]+$/i.test(path)) return reply.sendFile(path.slice(1), { maxAge: 3_600_000 });
    return reply.header('content-security-policy', CSP).header('cache-control', 'no-cache').sendFile('index.html');
  });
}
