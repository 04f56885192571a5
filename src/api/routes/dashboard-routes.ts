import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** web/dist of this checkout: the same three levels up from src/api/routes and dist/api/routes. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/**
 * Serves the built dashboard (web/, `npm run build:web`) at `/`. The app routes
 * with the URL hash, so only `/` and its hashed assets need serving: files are
 * registered one by one (no wildcard), so an unknown path still gets the API's
 * JSON 404 and no API route can be shadowed.
 */
export async function registerDashboardRoutes(app: FastifyInstance, dir: string): Promise<void> {
  if (!existsSync(join(dir, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.status(503).type('text/plain').send('The dashboard is not built: run `npm run build` (or `npm run build:web`). The API is at /docs.\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    wildcard: false,
    // Asset names carry a content hash: cache them for good; index.html is always revalidated.
    setHeaders: (reply, path) => void reply.header('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
  });
}
