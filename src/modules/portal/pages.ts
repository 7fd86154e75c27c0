/**
 * The debtor portal's pages (src/web/portal): one HTML page, one script, one style sheet, served from memory
 * with their content types and a strict Content-Security-Policy (no inline script or style, nothing
 * from another origin). The notice link `/portal/?code=…` carries the access code, so pages send no
 * referrer and the script removes the code from the address bar once it has read it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

// Resolved from this file so that both src/ (tests) and dist/ (server) find the committed pages.
export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/web/portal');

const PAGES = [
  { url: '/portal/', file: 'index.html', type: 'text/html; charset=utf-8', summary: 'The debtor portal' },
  {
    url: '/portal/app.js',
    file: 'app.js',
    type: 'text/javascript; charset=utf-8',
    summary: "The debtor portal's script",
  },
  {
    url: '/portal/app.css',
    file: 'app.css',
    type: 'text/css; charset=utf-8',
    summary: "The debtor portal's style sheet",
  },
] as const;

export const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
} as const;

// Links from notices may carry more than the code (e.g. a campaign tag): a page ignores what it does not use.
const PageQuery = Type.Object({ code: Type.Optional(Type.String({ maxLength: 64 })) });

export const portalPages: FastifyPluginAsyncTypebox = async (app) => {
  for (const page of PAGES) {
    const body = fs.readFileSync(path.join(WEB_DIR, page.file));
    app.get(page.url, {
      config: { access: 'public' },
      schema: { tags: ['portal'], summary: page.summary, querystring: PageQuery, produces: [page.type.split(';')[0]!] },
      handler: async (_request, reply) => reply.headers(PAGE_HEADERS).type(page.type).send(body),
    });
  }

  app.get('/portal', {
    config: { access: 'public' },
    schema: {
      tags: ['portal'],
      summary: 'The debtor portal (redirects to /portal/)',
      querystring: PageQuery,
      response: { 302: Type.Null({ description: 'to /portal/' }) },
    },
    handler: async (request, reply) => {
      const query = request.url.indexOf('?');
      return reply.redirect(`/portal/${query < 0 ? '' : request.url.slice(query)}`, 302);
    },
  });
};
