/**
 * The funnel statistics query (GET /api/stats/funnel) over the database the jobs bench left: for an
 * administrator (every claim) and for its creditor over a period, against the raw building block in
 * the same run: one bare GROUP BY of the claims by position with their fen, what reading every claim
 * once costs. Best of three runs each.
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
  const creditorOrgId = (sqlite.prepare("select id from organisations where code = 'BENCH-C'").get() as { id: number })
    .id;
  const creditor: Principal = {
    kind: 'user',
    role: 'creditor',
    userId: 0,
    orgId: creditorOrgId,
    orgKind: 'creditor',
    name: 'bench',
  };
  const groupBy = sqlite.prepare(
    `select creditor_org_id, batch_id, mediation_org_id, court_org_id, stage, status, count(*),
       sum(principal_fen + interest_fen + penalty_fen + fees_fen) from claims
     group by creditor_org_id, batch_id, mediation_org_id, court_org_id, stage, status`,
  );
  const raw = best(() => groupBy.all());
  const all = best(() => funnelStatistics(db, ADMIN, {}));
  const period = best(() => funnelStatistics(db, creditor, { from: '2026-11-01', to: '2026-11-30' }));
  const counted = funnelStatistics(db, creditor, { from: '2026-11-01', to: '2026-11-30' }).claims;
  close();
  if (counted !== claims) throw new Error(`the creditor's period counted ${counted} claims of ${claims}`);
  console.log(
    '\n| claims | events | raw GROUP BY s | funnel statistics s (admin, all) | ratio | creditor, a period s |',
  );
  console.log('|---|---|---|---|---|---|');
  console.log(
    `| ${claims.toLocaleString('en')} | ${events.toLocaleString('en')} | ${raw.toFixed(3)} | ${all.toFixed(3)} | ${(all / raw).toFixed(2)} | ${period.toFixed(3)} |`,
  );
}
