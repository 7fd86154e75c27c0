/**
 * A debtor sees a claim in the portal once it has left intake: before that it was never served on
 * them, and its data may still be corrected or rejected by screening. Staff are not limited by this.
 */
import { ne, type SQL, sql } from 'drizzle-orm';
import { claims } from '../../db/schema/index.js';
import type { Principal } from '../auth/principal.js';

export function servedToDebtor(p: Principal): SQL {
  return p.kind === 'debtor' ? ne(claims.stage, 'intake') : sql`1 = 1`;
}
