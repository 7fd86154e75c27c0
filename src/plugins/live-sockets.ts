/**
 * Open websockets answer to the sign-in that opened them. Each socket is filed under the credentials
 * of its upgrade request; every RECHECK_MS each set of credentials is resolved again, through the same
 * resolution as any request, and when it no longer names a principal (logout, an expired token, a
 * revoked or expired API key, a disabled user) every socket opened with it closes with 4401.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import type { AuthService } from '../modules/auth/service.js';
import { resolvePrincipal } from './auth.js';

export const SOCKET_SIGNED_OUT = 4401;
const RECHECK_MS = 500;

interface Credentials {
  stillSignedIn: () => boolean;
  sockets: Set<WebSocket>;
}

/** A check that cannot run now (the database busy) keeps the sockets until the next one. */
function signedIn(entry: Credentials): boolean {
  try {
    return entry.stillSignedIn();
  } catch {
    return true;
  }
}

export default fp(
  async (app, { auth, cookieName }: { auth: AuthService; cookieName: string }) => {
    const upgrades = new WeakMap<IncomingMessage, FastifyRequest>();
    const open = new Map<string, Credentials>();

    app.addHook('onRequest', async (request) => {
      if (request.ws && request.principal) upgrades.set(request.raw, request);
    });

    app.websocketServer.on('connection', (socket: WebSocket, raw: IncomingMessage) => {
      const request = upgrades.get(raw);
      if (!request) return;
      const query = request.query as Record<string, unknown> | undefined;
      const key = JSON.stringify([request.headers.authorization, query?.token, request.cookies?.[cookieName]]);
      let entry = open.get(key);
      if (!entry) {
        const opts = { allowQueryToken: true, cookieName };
        entry = { stillSignedIn: () => resolvePrincipal(auth, request, opts).principal !== null, sockets: new Set() };
        open.set(key, entry);
      }
      const { sockets } = entry;
      sockets.add(socket);
      socket.once('close', () => {
        sockets.delete(socket);
        if (sockets.size === 0 && open.get(key)?.sockets === sockets) open.delete(key);
      });
    });

    const timer = setInterval(() => {
      for (const [key, entry] of open) {
        if (signedIn(entry)) continue;
        open.delete(key);
        for (const socket of entry.sockets) socket.close(SOCKET_SIGNED_OUT, 'unauthenticated');
      }
    }, RECHECK_MS);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'live-sockets', dependencies: ['auth', '@fastify/websocket'] },
);
