import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, databaseBusy } from '../../errors.js';
import { readProgress } from '../../testing/progress-socket.js';
import { streamProgress } from './progress-socket.js';

type Event = { type: 'progress' | 'finished'; n: number };

describe('progress socket', () => {
  const events = new EventEmitter();
  const failures: Record<string, () => never> = {
    missing: () => {
      throw new AppError('not_found', 'Job 7 was not found, or you may not see it.');
    },
    forbidden: () => {
      throw new AppError('forbidden', 'This is for staff of an organisation, not for debtors.');
    },
    busy: () => {
      throw databaseBusy();
    },
    bug: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'status')");
    },
  };
  let app: FastifyInstance;
  let base: string;
  const logged: string[] = [];

  beforeAll(async () => {
    app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => logged.push(line) } } });
    await app.register(websocket);
    app.get('/ws/:state', { websocket: true }, (socket, request) => {
      const state = (request.params as { state: string }).state;
      streamProgress<Event>(socket, request.log, {
        snapshot: () => {
          failures[state]?.();
          return { fields: { job: { state } }, running: state === 'running' };
        },
        subscribe: (listener) => {
          events.on('event', listener);
          return () => events.off('event', listener);
        },
      });
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/ws`;
  });
  afterAll(() => app.close());

  it('sends the snapshot, then the events until the last, then closes normally', async () => {
    // The events come once the socket listens (newListener is told just before the listener is added).
    events.once('newListener', () =>
      setImmediate(() => {
        events.emit('event', { type: 'progress', n: 1 });
        events.emit('event', { type: 'finished', n: 2 });
      }),
    );
    const read = readProgress(`${base}/running`);
    expect(await read).toEqual({
      frames: [
        { type: 'snapshot', job: { state: 'running' } },
        { type: 'progress', n: 1 },
        { type: 'finished', n: 2 },
      ],
      code: 1000,
      reason: 'finished',
    });
    expect(events.listenerCount('event')).toBe(0);
  });

  it('sends only the snapshot of what has ended', async () => {
    expect(await readProgress(`${base}/done`)).toEqual({
      frames: [{ type: 'snapshot', job: { state: 'done' } }],
      code: 1000,
      reason: 'finished',
    });
  });

  it('closes naming the error when the state cannot be read', async () => {
    expect(await readProgress(`${base}/missing`)).toEqual({ frames: [], code: 4404, reason: 'not_found' });
    expect(await readProgress(`${base}/forbidden`)).toEqual({ frames: [], code: 4403, reason: 'forbidden' });
    expect(await readProgress(`${base}/busy`)).toEqual({ frames: [], code: 4503, reason: 'unavailable' });
    expect(logged).toEqual([]);
    expect(await readProgress(`${base}/bug`)).toEqual({ frames: [], code: 1011, reason: 'internal' });
    expect(logged.join('')).toContain('progress socket could not read the state');
  });
});
