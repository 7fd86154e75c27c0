/**
 * Tenancy in one place: which claims a principal may see. Every claim query goes through
 * `visibleClaims`, so a claim outside it is simply not found (404), never "forbidden".
 */
import { eq, type SQL, sql } from 'drizzle-orm';
import { claims } from '../../db/schema/index.js';
import type { Principal } from './principal.js';

export function visibleClaims(p: Principal): SQL {
  switch (p.role) {
    case 'creditor':
      return eq(claims.creditorOrgId, p.orgId);
    case 'mediator':
      return eq(claims.mediationOrgId, p.orgId);
    case 'court':
      return eq(claims.courtOrgId, p.orgId);
    case 'debtor':
      return eq(claims.debtorId, p.debtorId);
    case 'admin':
      // The operator runs the platform; it reads no one's debts.
      return sql`0 = 1`;
  }
}
