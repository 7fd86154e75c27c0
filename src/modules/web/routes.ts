/**
 * The staff application (src/web, built by Vite into dist/web): index.html at / and at the
 * application's own client routes, the debtor's room and plan pages at /portal/room and /portal/plan, and their hashed
 * assets under /assets/. Every other path keeps its own routes (/api, /ws, /docs, /portal, /verify,
 * /r, /health) or the JSON 404.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';

// Resolved from this file so that both src/ (tests) and dist/ (server) find the build.
export const STAFF_WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

/** First path segments of the application's client routes (src/web/shell/nav.ts and App.tsx). */
export const STAFF_SECTIONS = [
  'claims',
  'queue',
  'sessions',
  'court',
  'stats',
  'funnel',
  'batches',
  'api-keys',
  'payee-account',
  'plans',
  'admin',
] as const;

// The pages read a few parameters of their own (filters, `next`); the server ignores them.
const AnyQuery = Type.Record(Type.String(), Type.String());

export const staffPages: FastifyPluginAsyncTypebox<{ dir: string }> = async (app, { dir }) => {
  // The pages are public: what they show comes from the API, which checks the sign-in.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object), access: 'public' } as typeof route.config;
  });
  await app.register(fastifyStatic, { root: path.join(dir, 'assets'), serve: false });

  const builtPage = (file: string, summary: string) => {
    const html = fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file)) : null;
    return {
      schema: { tags: ['pages'], summary, querystring: AnyQuery, hide: true },
      handler: async (_request: FastifyRequest, reply: FastifyReply) => {
        if (!html) throw new AppError('unavailable', 'The staff pages are not built: run npm run build.');
        // The security headers and the Content-Security-Policy are the app's own (plugins/security-headers.ts):
        // the built pages pass it. The page names the current build's assets, so it is never cached unchecked.
        return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
      },
    };
  };
  const page = builtPage('index.html', 'The staff application');
  // The debtor's pages linked from the portal's claim page (the room, a plan); the API checks the sign-in.
  const debtorPages = builtPage('debtor/index.html', "The debtor's mediation room and plan");
  app.get('/portal/room', debtorPages);
  app.get('/portal/plan', debtorPages);
  app.get('/', page);
  for (const section of STAFF_SECTIONS) {
    app.get(`/${section}`, page);
    app.get(`/${section}/*`, page);
  }

  app.get('/assets/:file', {
    schema: {
      tags: ['pages'],
      summary: "The staff application's scripts and styles",
      params: Type.Object({ file: Type.String({ pattern: '^[\\w.-]+$' }) }),
      hide: true,
    },
    handler: async (request, reply) => {
      const { file } = request.params as { file: string };
      // Names carry a content hash: a changed file is a new name, so the old one may be kept for good.
      return reply.sendFile(file, path.join(dir, 'assets'), { immutable: true, maxAge: 365 * 24 * 3600 * 1000 });
    },
  });
};
