/** Work of a background job over many claims: waiting out a busy database, and the words of a failure. */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, isDatabaseBusy } from '../../errors.js';

/**
 * A claim of a batch that finds the database busy (another writer holds it, e.g. a batch import
 * committing) waits and is tried again, 2 s, 4 s, … later, rather than failing for a passing reason.
 */
const BUSY_ATTEMPTS = 6;
const BUSY_BACKOFF_MS = 2000;

export async function retryWhileBusy<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isDatabaseBusy(err) || attempt === BUSY_ATTEMPTS) throw err;
      await sleep(BUSY_BACKOFF_MS * attempt);
    }
  }
}

/** What a person reads about a failure: the detail of our errors, the message of others. */
export const errorText = (err: unknown) =>
  err instanceof AppError ? err.detail : err instanceof Error ? err.message : String(err);
