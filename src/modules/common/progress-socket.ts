/**
 * A progress socket (a batch import, a document job): the state now as a `snapshot` frame, then each
 * `progress` event as it comes, until `finished`, then a normal close (1000 finished).
 *
 * Who may connect and whether the id is well formed are settled before the upgrade, as HTTP answers
 * (401, 403, 400). A state that cannot be read after it closes the socket with 4000 + the HTTP status
 * of the error and its code as the reason — 4404 not_found (not there, or not yours), 4403 forbidden,
 * 4503 unavailable (try again) — so a client can tell them apart; anything else is 1011 internal.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Role } from '../../domain/roles.js';
import { AppError } from '../../errors.js';
import { IdParams } from './schemas.js';

export interface ProgressSource<E extends { type: 'progress' | 'finished' }> {
  /** The state now, as the fields of the snapshot frame (`{ job }`), and whether events will follow. */
  snapshot(): { fields: Record<string, unknown>; running: boolean };
  /** Listen for the events; answers the function that stops listening. */
  subscribe(listener: (event: E) => void): () => void;
}

/** The close code and reason for an error reading the state. */
export function closeFor(err: unknown): { code: number; reason: string } {
  return err instanceof AppError ? { code: 4000 + err.status, reason: err.code } : { code: 1011, reason: 'internal' };
}

export function streamProgress<E extends { type: 'progress' | 'finished' }>(
  socket: WebSocket,
  log: FastifyBaseLogger,
  source: ProgressSource<E>,
): void {
  let state: ReturnType<ProgressSource<E>['snapshot']>;
  try {
    state = source.snapshot();
  } catch (err) {
    const close = closeFor(err);
    if (close.code === 1011) log.error({ err }, 'progress socket could not read the state');
    socket.close(close.code, close.reason);
    return;
  }
  socket.send(JSON.stringify({ type: 'snapshot', ...state.fields }));
  if (!state.running) {
    socket.close(1000, 'finished');
    return;
  }
  const off = source.subscribe((event) => {
    socket.send(JSON.stringify(event));
    if (event.type === 'finished') {
      off();
      socket.close(1000, 'finished');
    }
  });
  socket.on('close', off);
}

/** A progress socket route at a URL ending in `:id`. */
export interface ProgressRoute<E extends { type: 'progress' | 'finished' }> {
  access: readonly Role[];
  tag: string;
  /** What the frames carry, for the API documentation. */
  summary: string;
  /** What the request's socket follows for the id. */
  source: (request: FastifyRequest, id: number) => ProgressSource<E>;
}

export function progressSocketRoute<E extends { type: 'progress' | 'finished' }>(
  app: FastifyInstance,
  url: string,
  route: ProgressRoute<E>,
): void {
  app.get(
    url,
    {
      config: { access: route.access },
      websocket: true,
      schema: {
        tags: [route.tag],
        summary: route.summary,
        description:
          'Closes 1000 after the finished frame. When what it follows cannot be read it closes with 4000 + the HTTP status and the error code as the reason: 4404 not_found (none, or not yours), 4503 unavailable (try again).',
        params: IdParams,
      },
    },
    (socket: WebSocket, request: FastifyRequest) =>
      streamProgress(socket, request.log, route.source(request, (request.params as { id: number }).id)),
  );
}
