/** What the batch verbs share: the app's connection, the importer and the imports in progress. */
import type { Clock } from '../../adapters/clock.js';
import type { Config } from '../../config.js';
import type { DB } from '../../db/open.js';
import type { Spool } from '../common/spool.js';
import type { ReferenceData } from '../reference/service.js';
import type { Importer } from './import/run-import.js';
import type { LiveBatches } from './live.js';

export interface BatchContext {
  db: DB;
  importer: Importer;
  clock: Clock;
  config: Config;
  /** The personal-data key, handed to the parse worker that seals the rows. */
  dataKey: Buffer;
  reference: ReferenceData;
  live: LiveBatches;
  onCrash?: (detail: string) => void;
  /** Where uploads are spooled while they are imported, sealed with the data key. */
  spool: Spool;
}
