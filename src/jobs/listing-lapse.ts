/** Job `credit.listing-lapse`: dishonest-debtor listings whose fixed term ended lapse (daily). */
import { shanghaiDate } from '../domain/dates.js';
import { type EndedListing, endedListings, lapseListing } from '../modules/court/listing-lapse.js';
import type { ItemJob } from './exactly-once.js';
import { itemJobMain, type JobContext, runInWorker } from './job-context.js';

export const JOB_NAME = 'credit.listing-lapse';

export const listingLapseJob: ItemJob<EndedListing, JobContext> = {
  name: JOB_NAME,
  due: (ctx, now) => endedListings(ctx.db, shanghaiDate(now)),
  run: (tx, item, ctx, now) => lapseListing(tx, item, ctx.reference.calendar(), now),
};

export const main = itemJobMain(listingLapseJob);

runInWorker(main);
