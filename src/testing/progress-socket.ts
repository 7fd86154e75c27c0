/** Reading a progress socket to its end over a real connection. */
import WebSocket from 'ws';

export type ProgressRead =
  /** The frames received, and the close code and reason. */
  | { frames: Record<string, unknown>[]; code: number; reason: string }
  /** The upgrade was refused with this HTTP status. */
  | { status: number };

export function readProgress(url: string, headers: Record<string, string> = {}): Promise<ProgressRead> {
  return new Promise((resolve, reject) => {
    const frames: Record<string, unknown>[] = [];
    const ws = new WebSocket(url, { headers });
    ws.on('message', (m) => frames.push(JSON.parse(String(m))));
    ws.once('close', (code, reason) => resolve({ frames, code, reason: reason.toString() }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', (err) => {
      if (ws.readyState !== WebSocket.CLOSED) reject(err);
    });
  });
}
