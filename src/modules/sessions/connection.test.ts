import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { admitFrame, FRAME_MAX_BYTES, newConnection, type SocketSettings } from './connection.js';

const settings: SocketSettings = {
  heartbeatMs: 30_000,
  maxBufferedBytes: 1 << 20,
  framesPerSecond: 5,
  chatMaxBytes: 100,
  maxQueuedFrames: 10,
};
// admitFrame reads the connection's state only; the socket is never touched.
const connection = () =>
  newConnection({} as WebSocket, { sessionId: 1, role: 'debtor', name: '张三', key: 'debtor:1' }, settings);
const text = (frame: unknown) => Buffer.from(JSON.stringify(frame));
const chat = (id: string, text_ = '你好') => text({ type: 'chat', id, body: { text: text_ } });
const codeOf = (r: ReturnType<typeof admitFrame>) => ('code' in r ? r.code : r.type);

describe('admitting a frame on a connection', () => {
  it('wants hello first, once, and then takes frames', () => {
    const conn = connection();
    const t = conn.refilledAt;
    expect(codeOf(admitFrame(conn, chat('a'), false, settings, t))).toBe('hello_required');
    expect(admitFrame(conn, text({ type: 'hello', lastSeq: 3 }), false, settings, t)).toEqual({
      type: 'hello',
      lastSeq: 3,
    });
    conn.greeted = true;
    expect(codeOf(admitFrame(conn, text({ type: 'hello', lastSeq: 0 }), false, settings, t))).toBe('invalid_frame');
    expect(admitFrame(conn, chat('b'), false, settings, t)).toMatchObject({ type: 'chat', id: 'b' });
  });

  it('refuses binary, oversized and malformed frames, and a chat frame over its own limit, in that order', () => {
    const conn = connection();
    conn.greeted = true;
    const t = conn.refilledAt;
    expect(codeOf(admitFrame(conn, chat('a'), true, settings, t))).toBe('invalid_frame');
    expect(codeOf(admitFrame(conn, Buffer.alloc(FRAME_MAX_BYTES + 1, 0x20), false, settings, t))).toBe(
      'frame_too_large',
    );
    expect(codeOf(admitFrame(conn, Buffer.from('{"type":'), false, settings, t))).toBe('malformed_json');
    const long = admitFrame(conn, chat('c', '长'.repeat(40)), false, settings, t);
    expect(long).toMatchObject({ code: 'frame_too_large', id: 'c' });
  });

  it('takes a burst of twice the rate, then one frame per 1/rate seconds', () => {
    const conn = connection();
    conn.greeted = true;
    const t = conn.refilledAt;
    const codes = Array.from({ length: 11 }, (_, i) => codeOf(admitFrame(conn, chat(`m${i}`), false, settings, t)));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('chat'));
    expect(codes[10]).toBe('rate_limited');
    expect(codeOf(admitFrame(conn, chat('late'), false, settings, t + 199))).toBe('rate_limited');
    expect(codeOf(admitFrame(conn, chat('later'), false, settings, t + 400))).toBe('chat');
  });
});
