import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

/** Liveness and database status for load balancers and operators; public and free of data. */
export const healthRoutes: FastifyPluginAsyncTypebox<{
  checkDatabase: () => boolean;
  version: string;
  /** Years whose State Council holiday arrangement is loaded. */
  calendarYears: () => number[];
}> = async (app, { checkDatabase, version, calendarYears }) => {
  const Calendar = Type.Object({
    loadedYears: Type.Array(Type.Integer(), { description: 'years whose holiday arrangement is loaded' }),
  });
  app.get('/health', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Health of the server and its database',
      response: {
        200: Type.Object({
          status: Type.Literal('ok'),
          database: Type.Literal('ok'),
          version: Type.String(),
          calendar: Calendar,
        }),
        503: Type.Object({
          status: Type.Literal('degraded'),
          database: Type.Literal('unavailable'),
          version: Type.String(),
        }),
      },
    },
    handler: async (_request, reply) => {
      let ok = false;
      try {
        ok = checkDatabase();
      } catch {
        ok = false;
      }
      return ok
        ? { status: 'ok' as const, database: 'ok' as const, version, calendar: { loadedYears: calendarYears() } }
        : reply.status(503).send({ status: 'degraded' as const, database: 'unavailable' as const, version });
    },
  });
};
