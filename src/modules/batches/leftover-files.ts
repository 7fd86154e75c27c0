/** Spool files that imports cut short by a crash left behind. */
import { removeSpoolLeftovers } from '../common/spool.js';
import type { BatchContext } from './context.js';

/**
 * Remove the spool files nobody will read: at start-up every one not held by another live process
 * (an import from the command line may run beside the server), later those of processes that ended.
 */
export function removeLeftovers({ spool }: BatchContext, atStart: boolean): number {
  return removeSpoolLeftovers(spool.dir, { atStart });
}
