/** The statistics verbs: the funnel, its export, and a batch's forecast. */
import type { Clock } from '../../adapters/clock.js';
import type { DB } from '../../db/open.js';
import { shanghaiDate } from '../../domain/dates.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import type { BatchView } from '../batches/schemas.js';
import { funnelCsv, funnelXlsx } from './export.js';
import { forecastOf } from './forecast.js';
import { funnelStatistics } from './funnel.js';
import type { FunnelQuery } from './schemas.js';

export interface StatsServiceDeps {
  db: DB;
  clock: Clock;
  /** The creditor's batch, or 404 (the batches module decides who sees a batch). */
  findBatch(creditorOrgId: number, id: number): BatchView;
}

export type StatsService = ReturnType<typeof createStatsService>;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const NOTES = {
  history: 'Forecast from the resolved claims of the same five-tier class and amount band.',
  partial_history:
    'Some claims had too little comparable history (fewer than 20 resolved claims of their class) and were forecast from the documented defaults.',
  defaults:
    'Too little history: fewer than 20 resolved claims of a comparable class, so the forecast uses the documented defaults (README, Forecast).',
} as const;

export function createStatsService({ db, clock, findBatch }: StatsServiceDeps) {
  return {
    funnel: (p: Principal, q: FunnelQuery) => funnelStatistics(db, p, q),

    async exportFunnel(p: Principal, q: FunnelQuery, format: 'csv' | 'xlsx') {
      const s = funnelStatistics(db, p, q);
      const fileName = `漏斗统计-${shanghaiDate(clock.now())}.${format}`;
      return format === 'csv'
        ? { fileName, mime: 'text/csv; charset=utf-8', bytes: funnelCsv(s) }
        : { fileName, mime: XLSX, bytes: await funnelXlsx(s) };
    },

    forecast(creditorOrgId: number, batchId: number) {
      const batch = findBatch(creditorOrgId, batchId);
      if (batch.status !== 'committed')
        throw new AppError(
          'unprocessable',
          `Batch ${batchId} is ${batch.status}: a forecast needs its claims, so ask again once it has committed.`,
          { reason: 'batch_not_committed' },
        );
      const f = forecastOf(db, batchId);
      return { batchId, ...f, note: NOTES[f.basis] };
    },
  };
}
