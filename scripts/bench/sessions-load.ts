/** What the sessions benchmark's processes share: the load's shape and the figures they report. */
export const SECONDS = Number(process.env.BENCH_SESSIONS_SECONDS ?? 20);
export const ROOMS = Number(process.env.BENCH_SESSIONS_ROOMS ?? 500);
export const INTERVAL_MS = 100;

export interface ClientPlan {
  /** One entry per room: the URL of each of its sockets (tokens in the query). */
  rooms: string[][];
  seconds: number;
  intervalMs: number;
}

/** What the load client measures. */
export interface ClientResult {
  sockets: number;
  connectSeconds: number;
  sent: number;
  received: number;
  expected: number;
  errors: number;
  sendSeconds: number;
  /** CPU the client used while sending, in cores (1 = one core busy). */
  clientCores: number;
  p50: number;
  p99: number;
  max: number;
  /** p99 of each second of the load. */
  secondP99s: number[];
}

/** What the serving process measures of itself over the load. */
export interface ServerSide {
  serverCores: number;
  /** The longest garbage-collection pause, and how many were major (mark-compact). */
  longestGcMs: number;
  majorGcs: number;
  /** Chat frames in the database after the load (the platform only). */
  stored?: number;
}

export type ServedResult = ClientResult & ServerSide;
