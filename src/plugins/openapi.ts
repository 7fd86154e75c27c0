/**
 * The OpenAPI document (/docs/json) in the shape a generated client needs. Routes keep their own
 * schemas; this plugin only shapes what the document says about them: every operation has a name,
 * public routes carry no security requirement, problems are application/problem+json, a download
 * declares the file it answers, a multipart form is described, and the server's address is set.
 */
import swagger from '@fastify/swagger';
import type { FastifySchema, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { TSchema } from 'typebox';
import { sessionCookieFor } from './auth.js';

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The fields of a multipart/form-data body, for the document only: the route reads the parts
     * itself, so Fastify must not validate a parsed body against it.
     */
    multipart?: TSchema;
  }
}

export interface OpenapiOptions {
  version: string;
  publicUrl: string;
}

/** `GET /api/claims/:id/events` → `getClaimsByIdEvents`, `GET /portal/` → `getPortalIndex`: unique per method and path. */
export function operationIdOf(method: string, url: string): string {
  const words = `${url}${url.endsWith('/') ? 'index' : ''}`
    .replace(/^\/api\//, '/')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split('-'));
  return [method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('');
}

const BINARY = { type: 'string', format: 'binary' } as const;

function isProblem(schema: unknown): boolean {
  return (schema as { $ref?: string } | undefined)?.$ref === 'Problem';
}

/** The route's schema as the document shows it. */
function documented(schema: FastifySchema, route: RouteOptions): FastifySchema {
  const { multipart, ...rest } = schema;
  const out: FastifySchema & Record<string, unknown> = { ...rest };
  const method = Array.isArray(route.method) ? route.method[0]! : route.method;
  out.operationId = (schema as { operationId?: string }).operationId ?? operationIdOf(method, route.url);
  if (route.config?.access === 'public') out.security = [];

  const responses: Record<string, unknown> = {};
  for (const [status, body] of Object.entries((schema.response ?? {}) as Record<string, unknown>)) {
    responses[status] = isProblem(body)
      ? {
          description: 'application/problem+json (RFC 9457)',
          content: { 'application/problem+json': { schema: body } },
        }
      : body;
  }
  // A route that answers a file declares no 2xx schema (its body is not JSON): say what it sends.
  if (!Object.keys(responses).some((s) => /^[23]/.test(s))) {
    const types = (schema as { produces?: string[] }).produces ?? ['application/octet-stream'];
    responses['200'] = {
      description: 'the file',
      content: Object.fromEntries(types.map((t) => [t, { schema: BINARY }])),
    };
  }
  out.response = responses;

  if (multipart) {
    const body = schema.body as { content?: Record<string, unknown> } | undefined;
    const content = body?.content ?? (body ? { 'application/json': { schema: body } } : {});
    out.body = { content: { 'multipart/form-data': { schema: multipart }, ...content } };
  }
  return out;
}

export default fp(
  async (app, opts: OpenapiOptions) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Loan mediation platform API',
          version: opts.version,
          description:
            'Batch mediation of small loan disputes: intake, mediation, litigation, enforcement, credit repair.',
        },
        servers: [{ url: opts.publicUrl }],
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer' },
            apiKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'ApiKey <key>' },
            cookie: { type: 'apiKey', in: 'cookie', name: sessionCookieFor(opts.publicUrl).name },
          },
        },
        security: [{ bearer: [] }, { apiKey: [] }, { cookie: [] }],
      },
      // Shared schemas by their own names (Problem, Claim) rather than def-0, def-1.
      refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string) ?? `def-${i}` },
      transform: ({ schema, url, route }) => ({ schema: documented(schema ?? {}, route), url }),
    });
  },
  { name: 'openapi' },
);
