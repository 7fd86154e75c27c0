/** Every route the app serves, read from Fastify's route tree: tests check each one is covered. */
import type { FastifyInstance } from 'fastify';

export function listRoutes(app: FastifyInstance): { method: string; url: string }[] {
  const stack: string[] = [];
  const out: { method: string; url: string }[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    // The printer shows a wildcard under `/claims/` as a child `*` of `claims`.
    stack.push(m[2] === '*' ? '/*' : m[2]!);
    const url = stack.join('').replace(/\/\//g, '/');
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') out.push({ method, url });
  }
  return out;
}
