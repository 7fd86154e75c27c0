/**
 * One session room over its websocket, for any party's page. After a drop (the network, the server,
 * the browser going offline) it reconnects with the last seq it holds, so the server sends exactly
 * what was missed; frames sent meanwhile wait and go again with their own ids, which the server
 * answers once. The page shows `connection` ("正在重新连接…" while it is not live).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { frameErrorText } from './frame-errors';
import { EMPTY_LOG, type RoomFrame, type RoomLog, type WireFrame, withFrames } from './log';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface OutgoingFrame {
  type: 'chat' | 'proposal' | 'counter' | 'accept' | 'reject' | 'approve';
  body: Record<string, unknown>;
}

/** How long someone stays "typing" after their last typing frame. */
const TYPING_SHOWN_MS = 4000;
/** Least time between two typing frames of ours. */
const TYPING_EVERY_MS = 2000;
const RETRY_MS = [500, 1000, 2000, 5000];

/** Codes after which reconnecting cannot help: not invited, the sign-in ended. */
const FINAL_CLOSE_CODES = new Set([1008, 4401, 4403]);

const newId = () => `w-${crypto.randomUUID()}`;

export function useRoom(sessionId: number) {
  const [log, setLog] = useState<RoomLog>(EMPTY_LOG);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [typing, setTyping] = useState<Map<string, { role: string; name: string; until: number }>>(new Map());
  const [refusal, setRefusal] = useState<string | null>(null);
  const logRef = useRef(log);
  const pending = useRef(new Map<string, string>());
  const socket = useRef<WebSocket | null>(null);
  const lastTyping = useRef(0);

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const take = (frame: WireFrame) => {
      if (frame.type === 'typing') {
        const key = `${frame.from.role}:${frame.from.name}`;
        setTyping((t) => new Map(t).set(key, { ...frame.from, until: Date.now() + TYPING_SHOWN_MS }));
        return;
      }
      if (frame.type === 'error') {
        const again = frame.id ? pending.current.get(frame.id) : undefined;
        // Not stored for want of the database: the same frame goes again shortly, answered once.
        if (again && (frame.body as { code: string }).code === 'not_stored') {
          setTimeout(() => socket.current?.readyState === WebSocket.OPEN && socket.current.send(again), 1000);
          return;
        }
        if (frame.id) pending.current.delete(frame.id);
        setRefusal(frameErrorText(frame.body as { code: string }));
        return;
      }
      if (frame.seq === null) return;
      if (frame.id) pending.current.delete(frame.id);
      // A message sent ends its sender's typing.
      if (frame.type === 'chat') {
        const key = `${frame.from.role}:${frame.from.name}`;
        setTyping((t) => (t.has(key) ? new Map([...t].filter(([k]) => k !== key)) : t));
      }
      logRef.current = withFrames(logRef.current, [frame as RoomFrame]);
      setLog(logRef.current);
    };

    const connect = () => {
      if (stopped) return;
      // Offline, a socket cannot open: wait for the browser to say the network is back.
      if (!navigator.onLine) return;
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      const ws = new WebSocket(`${scheme}://${window.location.host}/ws/sessions/${sessionId}`);
      socket.current = ws;
      ws.onopen = () => {
        attempt = 0;
        ws.send(JSON.stringify({ type: 'hello', lastSeq: logRef.current.lastSeq }));
        for (const data of pending.current.values()) ws.send(data);
        setConnection('live');
      };
      ws.onmessage = (event) => take(JSON.parse(String(event.data)) as WireFrame);
      ws.onclose = (event) => {
        if (socket.current !== ws || stopped) return;
        socket.current = null;
        if (FINAL_CLOSE_CODES.has(event.code)) {
          setConnection('closed');
          return;
        }
        setConnection('reconnecting');
        timer = setTimeout(connect, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]);
      };
    };

    // The close handshake may never get through now: this socket is given up at once.
    const offline = () => {
      const ws = socket.current;
      socket.current = null;
      ws?.close();
      setConnection('reconnecting');
    };
    const online = () => {
      clearTimeout(timer);
      if (!socket.current) connect();
    };
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      socket.current?.close();
      socket.current = null;
    };
  }, [sessionId]);

  // Typing marks fade on their own.
  useEffect(() => {
    if (typing.size === 0) return;
    const soonest = Math.min(...[...typing.values()].map((t) => t.until));
    const timer = setTimeout(
      () => setTyping((t) => new Map([...t].filter(([, v]) => v.until > Date.now()))),
      Math.max(50, soonest - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [typing]);

  /** Send a frame; until the room stores it, it is sent again after every reconnect. */
  const send = useCallback((frame: OutgoingFrame) => {
    const id = newId();
    const data = JSON.stringify({ ...frame, id });
    pending.current.set(id, data);
    setRefusal(null);
    const ws = socket.current;
    if (ws?.readyState === WebSocket.OPEN) ws.send(data);
  }, []);

  /** Tell the others we are typing, at most every few seconds. */
  const sendTyping = useCallback(() => {
    const ws = socket.current;
    if (ws?.readyState !== WebSocket.OPEN || Date.now() - lastTyping.current < TYPING_EVERY_MS) return;
    lastTyping.current = Date.now();
    ws.send('{"type":"typing"}');
  }, []);

  return { log, connection, typists: [...typing.values()], refusal, send, sendTyping };
}
