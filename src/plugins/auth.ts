/**
 * Authentication and role checks in one place. Every route declares `config.access`: the roles that
 * may call it, or 'public'. A route that declares nothing is closed to everyone, so a forgotten
 * declaration fails safe. Tenancy (which objects a role may see) is applied by services through
 * `modules/claims/access.ts`, so another tenant's object is "not found".
 */

import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import type { Principal, Role } from '../modules/auth/principal.js';
import type { AuthService } from '../modules/auth/service.js';

export const SESSION_COOKIE = 'lmp_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: readonly Role[] | 'public';
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The signed-in principal of a route that is not public. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new AppError('unauthenticated', 'Sign in first: send a session cookie, a Bearer token or an API key.');
  return request.principal;
}

/** Resolve the credentials a request carries: Authorization header (Bearer or ApiKey), `?token=` or the session cookie. */
export function resolvePrincipal(
  auth: AuthService,
  request: FastifyRequest,
  opts: { allowQueryToken?: boolean } = {},
): Principal | null {
  const header = request.headers.authorization;
  if (header) {
    const [scheme, value] = header.split(/\s+/, 2);
    if (!value) return null;
    if (scheme?.toLowerCase() === 'bearer') return auth.principalForToken(value);
    if (scheme?.toLowerCase() === 'apikey') return auth.principalForApiKey(value);
    return null;
  }
  const query = request.query as Record<string, unknown> | undefined;
  if (opts.allowQueryToken && typeof query?.token === 'string') return auth.principalForToken(query.token);
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie ? auth.principalForToken(cookie) : null;
}

export default fp(
  async (app, { auth }: { auth: AuthService }) => {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config?.access;
      // Unknown routes fall through to the not-found handler.
      if (!request.routeOptions.url) return;
      request.principal = resolvePrincipal(auth, request, {
        allowQueryToken: request.routeOptions.url.startsWith('/ws/'),
      });
      if (access === 'public') return;
      if (!request.principal)
        throw new AppError('unauthenticated', 'Sign in first: send a session cookie, a Bearer token or an API key.');
      if (!access?.includes(request.principal.role)) {
        throw new AppError(
          'forbidden',
          `Your role (${request.principal.role}) may not use ${request.method} ${request.routeOptions.url}.`,
        );
      }
    });
  },
  { name: 'auth', dependencies: ['error-handler'] },
);
