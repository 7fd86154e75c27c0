/**
 * The load of the sessions benchmark, in a process of its own (PERF-LIMITS.md §5 method): opens the
 * rooms' sockets one room at a time, then the first socket of each room sends a chat frame every
 * 100 ms, starting at a random offset; every receiver (the sender included) records the latency from
 * the send time carried in the text. Prints one JSON line.
 */
import fs from 'node:fs';
import WebSocket from 'ws';
import type { ClientPlan, ClientResult } from './sessions-load.js';

const plan = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as ClientPlan;
const TEXT = '您好，我这个月工资发了之后可以先还一部分，剩下的分期可以吗';
const TEXT_KEY = '"text":"';
const now = () => Number(process.hrtime.bigint()) / 1e6;

const latencies: number[] = [];
// Latencies by the second of the load in which the frame was sent: whether a few seconds decide the p99.
const bySecond: number[][] = [];
let start: number | null = null;
let received = 0;
let sent = 0;
let errors = 0;
const firstFrame: Promise<void>[] = [];

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let greeted!: () => void;
    firstFrame.push(new Promise<void>((r) => (greeted = r)));
    // The send time is read straight from the text: a full JSON.parse per frame would load the
    // client, which shares the cores with the server, more than the figures should show.
    ws.on('message', (data) => {
      const at = now();
      greeted();
      const s = String(data);
      if (s.startsWith('{"type":"error"')) errors++;
      const i = s.indexOf(TEXT_KEY);
      if (i < 0) return;
      const bar = s.indexOf('|', i);
      if (bar < 0) return;
      received++;
      const sentAt = Number(s.slice(i + TEXT_KEY.length, bar));
      latencies.push(at - sentAt);
      if (start !== null) {
        const second = Math.floor((sentAt - start) / 1000);
        bySecond[second] ??= [];
        bySecond[second].push(at - sentAt);
      }
    });
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'hello', lastSeq: 0 }));
      resolve(ws);
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
}

const t0 = now();
const rooms: WebSocket[][] = [];
for (const urls of plan.rooms) rooms.push(await Promise.all(urls.map(open)));
const connectSeconds = (now() - t0) / 1000;
// Every socket has had its replay and the presence frames; then a quiet moment before the load.
await Promise.all(firstFrame);
await new Promise((r) => setTimeout(r, 1000));
received = 0;
latencies.length = 0;

// Markers for the serving process, which measures its own CPU over the load alone.
console.log('load-start');
start = now();
const cpuStart = process.cpuUsage();
const end = start + plan.seconds * 1000;
const timers: NodeJS.Timeout[] = [];
let n = 0;
for (const sockets of rooms) {
  const sender = sockets[0]!;
  const tick = () => {
    if (now() >= end) return;
    sender.send(JSON.stringify({ type: 'chat', id: `b${n++}`, body: { text: `${now()}|${TEXT}` } }));
    sent++;
  };
  timers.push(
    setTimeout(() => {
      tick();
      timers.push(setInterval(tick, plan.intervalMs));
    }, Math.random() * plan.intervalMs),
  );
}
await new Promise((r) => setTimeout(r, plan.seconds * 1000));
const sendSeconds = (now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
console.log('load-end');
for (const t of timers) clearInterval(t);
// Drain: what is in flight arrives.
await new Promise((r) => setTimeout(r, 2000));

const pct = (xs: number[], p: number) =>
  xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const result: ClientResult = {
  sockets: rooms.flat().length,
  connectSeconds,
  sent,
  received,
  expected: sent * (plan.rooms[0]?.length ?? 0),
  errors,
  sendSeconds,
  clientCores: (cpu.user + cpu.system) / 1e6 / sendSeconds,
  p50: pct(latencies, 50),
  p99: pct(latencies, 99),
  max: latencies.at(-1) ?? NaN,
  secondP99s: bySecond.filter((xs) => xs.length > 0).map((xs) => pct(xs, 99)),
};
for (const ws of rooms.flat()) ws.terminate();
console.log(JSON.stringify(result));
