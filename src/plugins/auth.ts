/**
 * Authentication and role checks in one place. Every route declares `config.access`: the roles that
 * may call it, or 'public'. A route that declares nothing is closed to everyone, so a forgotten
 * declaration fails safe. Tenancy (which objects a role may see) is applied by services through
 * `modules/claims/access.ts`, so another tenant's object is "not found".
 */

import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { scopeFor } from '../domain/api-key-scopes.js';
import type { Role } from '../domain/roles.js';
import { AppError } from '../errors.js';
import type { Principal } from '../modules/auth/principal.js';
import type { AuthService } from '../modules/auth/service.js';
import { assertSameOrigin } from './same-origin.js';

/** The session cookie: `__Host-` when PUBLIC_URL is https, so no subdomain or plain-http page can set it. */
export interface SessionCookie {
  name: string;
  secure: boolean;
}

export const sessionCookieFor = (publicUrl: string): SessionCookie =>
  publicUrl.startsWith('https://')
    ? { name: '__Host-lmp_session', secure: true }
    : { name: 'lmp_session', secure: false };

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
  opts: { allowQueryToken: boolean; cookieName: string },
): { principal: Principal | null; viaCookie: boolean } {
  const header = request.headers.authorization;
  if (header) {
    const [scheme, value] = header.split(/\s+/, 2);
    if (!value) return { principal: null, viaCookie: false };
    if (scheme?.toLowerCase() === 'bearer') return { principal: auth.principalForToken(value), viaCookie: false };
    if (scheme?.toLowerCase() === 'apikey') return { principal: auth.principalForApiKey(value), viaCookie: false };
    return { principal: null, viaCookie: false };
  }
  const query = request.query as Record<string, unknown> | undefined;
  if (opts.allowQueryToken && typeof query?.token === 'string')
    return { principal: auth.principalForToken(query.token), viaCookie: false };
  const cookie = request.cookies?.[opts.cookieName];
  return { principal: cookie ? auth.principalForToken(cookie) : null, viaCookie: !!cookie };
}

export default fp(
  async (app, { auth, cookie, publicUrl }: { auth: AuthService; cookie: SessionCookie; publicUrl: string }) => {
    const origin = new URL(publicUrl).origin;
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config?.access;
      // Unknown routes fall through to the not-found handler.
      if (!request.routeOptions.url) return;
      const { principal, viaCookie } = resolvePrincipal(auth, request, {
        allowQueryToken: request.routeOptions.url.startsWith('/ws/'),
        cookieName: cookie.name,
      });
      request.principal = principal;
      if (access === 'public') return;
      assertSameOrigin(request, origin, viaCookie && principal !== null);
      if (!request.principal)
        throw new AppError('unauthenticated', 'Sign in first: send a session cookie, a Bearer token or an API key.');
      if (!access?.includes(request.principal.role)) {
        throw new AppError(
          'forbidden',
          `Your role (${request.principal.role}) may not use ${request.method} ${request.routeOptions.url}.`,
        );
      }
      if (request.principal.kind === 'api_key') {
        const needed = scopeFor(request.method, request.routeOptions.url);
        if (!needed || !request.principal.scopes.includes(needed))
          throw new AppError(
            'forbidden',
            needed
              ? `This API key lacks the scope ${needed} for ${request.method} ${request.routeOptions.url}; make a key with it.`
              : `API keys may not use ${request.method} ${request.routeOptions.url}; sign in as a user.`,
            { reason: 'insufficient_scope' },
          );
      }
    });
  },
  { name: 'auth', dependencies: ['error-handler'] },
);
