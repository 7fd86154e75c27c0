import { type Static, Type } from 'typebox';
import { IsoDate } from '../common/schemas.js';

export const YearParams = Type.Object(
  { year: Type.Integer({ minimum: 2000, maximum: 2100 }) },
  { additionalProperties: false },
);

/** A year's State Council arrangement (放假调休安排): its holiday blocks and its make-up workdays. */
export const ArrangementBody = Type.Object(
  {
    holidays: Type.Array(
      Type.Object(
        {
          from: IsoDate,
          to: IsoDate,
          name: Type.String({ minLength: 1, maxLength: 20, description: 'e.g. 春节' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    workdays: Type.Array(IsoDate, { maxItems: 20, description: 'weekend days worked instead (调休上班)' }),
  },
  { additionalProperties: false },
);
export type Arrangement = Static<typeof ArrangementBody>;

export const CalendarYearSchema = Type.Object({
  year: Type.Integer(),
  holidays: Type.Integer({ description: 'days off listed' }),
  workdays: Type.Integer({ description: 'make-up workdays listed' }),
});
export type CalendarYearView = Static<typeof CalendarYearSchema>;

export const CalendarOverviewSchema = Type.Object({
  loadedYears: Type.Array(CalendarYearSchema),
  /**
   * Years in which an open deadline falls without a loaded arrangement: counted on the statutory
   * holidays alone until an admin loads the year.
   */
  unloadedDeadlineYears: Type.Array(Type.Object({ year: Type.Integer(), deadlines: Type.Integer() })),
});
