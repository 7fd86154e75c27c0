/** Seed reference data and, on an empty database, the demo data: `npm run seed`. */
import path from 'node:path';
import { systemClock } from '../src/adapters/clock.js';
import { createFieldCrypto, loadDataKey } from '../src/adapters/field-crypto.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open.js';
import { seedDemo } from '../src/modules/admin/demo-seed.js';
import { createReferenceData, seedReferenceData } from '../src/modules/reference/service.js';

const config = loadConfig(process.env);
const database = openDatabase(path.join(config.dataDir, 'platform.db'));
seedReferenceData(database.db);
const seeded = await seedDemo({
  db: database.db,
  clock: systemClock,
  crypto: createFieldCrypto(loadDataKey(config.dataDir, config.dataKey)),
  reference: createReferenceData(database.db),
});
console.log(
  seeded ? `Demo data seeded into ${config.dataDir}.` : 'The database already has organisations; nothing seeded.',
);
database.close();
