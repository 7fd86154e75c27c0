import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { principalOf, type SessionCookie } from '../../plugins/auth.js';
import { Instant, problems } from '../common/schemas.js';
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from './password-policy.js';
import type { AuthService } from './service.js';

const STAFF = ['admin', 'creditor', 'mediator', 'court'] as const;

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService; cookie: SessionCookie }> = async (
  app,
  { auth, cookie },
) => {
  /** The session token the request signed in with: the Bearer header's, or the cookie's. */
  const sessionToken = (request: FastifyRequest): string | null => {
    const header = request.headers.authorization;
    return (
      (header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : request.cookies[cookie.name]) ?? null
    );
  };

  app.post('/api/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with a user name and password',
      description: 'Answers a bearer token and sets an httpOnly session cookie. Repeated failures are throttled (429).',
      body: Type.Object(
        {
          username: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          token: Type.String(),
          expiresAt: Instant,
          user: Type.Object({
            id: Type.Integer(),
            username: Type.String(),
            displayName: Type.String(),
            role: Type.String(),
            orgId: Type.Integer(),
          }),
        }),
        ...problems(400, 401, 429),
      },
    },
    handler: async (request, reply) => {
      const { token, expiresAt, user } = await auth.login({ ...request.body, ip: request.ip });
      reply.setCookie(cookie.name, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: cookie.secure,
        expires: expiresAt,
      });
      return {
        token,
        expiresAt: expiresAt.toISOString(),
        user: {
          id: user.id,
          username: user.username,
          displayName: user.displayName,
          role: user.role,
          orgId: user.orgId,
        },
      };
    },
  });

  app.post('/api/auth/logout', {
    config: { access: [...STAFF, 'debtor'] },
    schema: { tags: ['auth'], summary: 'End the current session', response: { 204: Type.Null(), ...problems(401) } },
    handler: async (request, reply) => {
      const token = sessionToken(request);
      if (token) auth.logout(token);
      reply.clearCookie(cookie.name, { path: '/', secure: cookie.secure });
      return reply.status(204).send(null);
    },
  });

  app.post('/api/auth/password', {
    config: { access: STAFF },
    schema: {
      tags: ['auth'],
      summary: 'Change your own password',
      description: `The new password: at least ${PASSWORD_MIN_CHARS} characters, not a commonly used one, not containing the user name. Every other session of yours ends; this one stays.`,
      body: Type.Object(
        {
          currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_CHARS }),
          newPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_CHARS * 4 }),
        },
        { additionalProperties: false },
      ),
      response: { 204: Type.Null(), ...problems(400, 401, 403, 429) },
    },
    handler: async (request, reply) => {
      await auth.changePassword(principalOf(request), {
        ...request.body,
        ip: request.ip,
        token: sessionToken(request),
      });
      return reply.status(204).send(null);
    },
  });

  app.get('/api/auth/me', {
    config: { access: [...STAFF, 'debtor'] },
    schema: {
      tags: ['auth'],
      summary: 'Who you are signed in as',
      response: {
        200: Type.Object({
          kind: Type.String(),
          role: Type.String(),
          name: Type.String(),
          orgId: Type.Union([Type.Integer(), Type.Null()]),
        }),
        ...problems(401),
      },
    },
    handler: async (request) => {
      const p = principalOf(request);
      return { kind: p.kind, role: p.role, name: p.name, orgId: p.kind === 'debtor' ? null : p.orgId };
    },
  });
};
