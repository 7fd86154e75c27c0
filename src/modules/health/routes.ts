import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FontSetup } from '../../adapters/pdf/font-files.js';

/** Liveness and database status for load balancers and operators; public and free of data. */
export const healthRoutes: FastifyPluginAsyncTypebox<{
  checkDatabase: () => boolean;
  version: string;
  /** Years whose State Council holiday arrangement is loaded. */
  calendarYears: () => number[];
  /** The document fonts: the operator checks here that rare characters of names will print. */
  fonts: FontSetup;
}> = async (app, { checkDatabase, version, calendarYears, fonts }) => {
  const Calendar = Type.Object({
    loadedYears: Type.Array(Type.Integer(), { description: 'years whose holiday arrangement is loaded' }),
  });
  const Fonts = Type.Object({
    chain: Type.Array(Type.String(), { description: 'font files each character tries, in order' }),
    extended: Type.Union(
      [
        Type.Object({
          file: Type.String(),
          source: Type.Union([Type.Literal('setting'), Type.Literal('system')]),
        }),
        Type.Null(),
      ],
      {
        description:
          'the last fallback font, for CJK Extension B and beyond (DOCUMENT_EXTENDED_FONT, or found on the system); null: a character beyond the others fails its document',
      },
    ),
  });
  // File names only: the server's paths are nobody's business.
  const fontsView = {
    chain: fonts.chains.regular.map((f) => path.basename(f)),
    extended: fonts.extended ? { file: path.basename(fonts.extended.file), source: fonts.extended.source } : null,
  };
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
          fonts: Fonts,
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
        ? {
            status: 'ok' as const,
            database: 'ok' as const,
            version,
            calendar: { loadedYears: calendarYears() },
            fonts: fontsView,
          }
        : reply.status(503).send({ status: 'degraded' as const, database: 'unavailable' as const, version });
    },
  });
};
