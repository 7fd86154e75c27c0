import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../common/schemas.js';
import { ArrangementBody, CalendarOverviewSchema, CalendarYearSchema, YearParams } from './schemas.js';
import type { CalendarService } from './service.js';

export const calendarRoutes: FastifyPluginAsyncTypebox<{ calendar: CalendarService }> = async (app, { calendar }) => {
  app.get('/api/calendar/years', {
    config: { access: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: 'Holiday calendar: the years loaded, and open deadlines in years that are not',
      response: { 200: CalendarOverviewSchema, ...problems(401, 403) },
    },
    handler: async () => ({
      loadedYears: calendar.loadedYears(),
      unloadedDeadlineYears: calendar.unloadedDeadlineYears(),
    }),
  });

  app.put('/api/calendar/years/:year', {
    config: { access: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: "Load a year's State Council holiday arrangement (replaces what was loaded for that year)",
      description:
        'Holiday blocks (every day of each block is a day off) and make-up workdays (weekend days worked). ' +
        '400 listing every malformed, out-of-year or overlapping day; nothing is written then.',
      params: YearParams,
      body: ArrangementBody,
      response: { 200: CalendarYearSchema, ...problems(400, 401, 403) },
    },
    handler: async (request) => calendar.loadYear(request.params.year, request.body),
  });
};
