/**
 * The funnel statistics query (GET /api/stats/funnel for an administrator: every claim) over the
 * database the jobs bench left, against the raw building block in the same run: one bare GROUP BY of
 * the claims by position with their fen. Best of three runs each.
 */
import { openDatabase } from '../../src/db/open.js';
import type { Principal } from '../../src/modules/auth/principal.js';
import { funnelStatistics } from '../../src/modules/stats/funnel.js';

const ADMIN: Principal = { kind: 'user', role: 'admin', userId: 0, orgId: 0, orgKind: 'platform', name: 'bench' };

const best = (f: () => unknown) => {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    f();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest / 1000;
};

export function measureStats(file: string, claims: number): void {
  const { sqlite, db, close } = openDatabase(file);
  const events = (sqlite.prepare('select count(*) n from claim_events').get() as { n: number }).n;
  const groupBy = sqlite.prepare(
    `select creditor_org_id, batch_id, mediation_org_id, court_org_id, stage, status, count(*),
       sum(principal_fen + interest_fen + penalty_fen + fees_fen) from claims
     group by creditor_org_id, batch_id, mediation_org_id, court_org_id, stage, status`,
  );
  const raw = best(() => groupBy.all());
  const query = best(() => funnelStatistics(db, ADMIN, {}));
  close();
  console.log('\n| claims | events | raw GROUP BY s | funnel statistics s | ratio |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| ${claims.toLocaleString('en')} | ${events.toLocaleString('en')} | ${raw.toFixed(3)} | ${query.toFixed(3)} | ${(query / raw).toFixed(2)} |`,
  );
}
