/**
 * Demo data for a fresh installation: organisations, the six demo logins and about 200 claims spread
 * over the funnel. Every claim reaches its position through the lifecycle engine, so its event chain
 * is as real as one made by hand.
 */
import { count } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DB } from '../../db/open.js';
import { organisations, users } from '../../db/schema/index.js';
import { creditCodeCheckChar } from '../../domain/credit-code.js';
import { MS_PER_DAY, shanghaiDate } from '../../domain/dates.js';
import type { Actor, ActorKind } from '../../domain/lifecycle.js';
import { hashPassword } from '../auth/password.js';
import type { ReferenceData } from '../reference/service.js';
import { POSITIONS, type Position } from './demo-positions.js';
import { createRng, sampleClaims } from './sample-claims.js';
import { seedClaim } from './seed-claim.js';

export const DEMO_PASSWORD = 'demo1234';
export const DEMO_LOGINS = ['admin', 'creditor1', 'creditor2', 'mediator1', 'mediator2', 'clerk1'] as const;

/** How many of every 100 demo claims stand at each position. */
const SPREAD: [Position, number][] = [
  ['screening', 4],
  ['needs_fix', 4],
  ['limitation_review', 3],
  ['awaiting_contact', 24],
  ['notified', 15],
  ['in_session', 8],
  ['performing', 7],
  ['confirmed', 3],
  ['failed', 4],
  ['escalated', 8],
  ['filed', 5],
  ['judged', 3],
  ['listed', 4],
  ['repair_requested', 2],
  ['fulfilled', 4],
  ['withdrawn', 2],
];

/** A valid Unified Social Credit Code from its first 17 characters. */
const creditCode = (first17: string) => first17 + creditCodeCheckChar(first17);

export interface DemoSeedDeps {
  db: DB;
  clock: Clock;
  crypto: FieldCrypto;
  reference: ReferenceData;
}

/** Seed the demo into an empty database; answers false and changes nothing when organisations exist. */
export async function seedDemo({ db, clock, crypto, reference }: DemoSeedDeps): Promise<boolean> {
  if ((db.select({ n: count() }).from(organisations).get()?.n ?? 0) > 0) return false;
  const now = clock.now();
  const today = shanghaiDate(now);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const calendar = reference.calendar();
  const lprRows = reference.lprRows();

  db.transaction((tx) => {
    const org = (values: Omit<typeof organisations.$inferInsert, 'createdAt'>) =>
      tx
        .insert(organisations)
        .values({ ...values, createdAt: now })
        .returning()
        .get();
    const user = (
      orgId: number,
      username: string,
      displayName: string,
      role: 'admin' | 'creditor' | 'mediator' | 'court',
    ) =>
      tx.insert(users).values({ orgId, username, displayName, role, passwordHash, createdAt: now }).returning().get();

    const platform = org({ kind: 'platform', code: 'PLATFORM', name: '小额纠纷批量调解平台' });
    const court = org({ kind: 'court', code: 'COURT-LC', name: '泉州市鲤城区人民法院', courtCode: '闽0502' });
    const committee = org({
      kind: 'mediation_committee',
      code: 'PMC-QZ',
      name: '泉州市鲤城区金融纠纷人民调解委员会',
      courtId: court.id,
    });
    const policy = { maxDiscountPct: 30, maxInstalments: 24, minFirstPaymentPct: 10, litigationAllowed: true };
    const creditorA = org({
      kind: 'creditor',
      code: 'CRED-A',
      name: '闽南消费金融有限公司',
      creditCode: creditCode('91350500MA2Y3K7P1'),
      lenderType: 'licensed',
      settlementPolicy: policy,
    });
    const creditorB = org({
      kind: 'creditor',
      code: 'CRED-B',
      name: '刺桐小额贷款有限公司',
      creditCode: creditCode('91350502MA31QW8E6'),
      lenderType: 'local_financial',
      settlementPolicy: { ...policy, maxDiscountPct: 40, litigationAllowed: false },
    });

    user(platform.id, 'admin', '平台管理员', 'admin');
    user(creditorA.id, 'creditor1', '闽南消金 法务专员', 'creditor');
    user(creditorB.id, 'creditor2', '刺桐小贷 法务专员', 'creditor');
    const mediators = [
      user(committee.id, 'mediator1', '陈调解员', 'mediator'),
      user(committee.id, 'mediator2', '林调解员', 'mediator'),
    ];
    user(court.id, 'clerk1', '鲤城法院 书记员', 'court');

    const rand = createRng(20261122);
    const actors: Record<ActorKind, Actor> = {
      system: { kind: 'system', id: null, name: 'system' },
      creditor: { kind: 'creditor', id: null, name: 'creditor' },
      mediator: { kind: 'mediator', id: mediators[0]!.id, name: mediators[0]!.displayName },
      court: { kind: 'court', id: null, name: court.name },
      debtor: { kind: 'debtor', id: null, name: 'debtor' },
    };
    const totalWeight = SPREAD.reduce((sum, [, weight]) => sum + weight, 0);

    for (const [creditor, prefix] of [
      [creditorA, 'MNXJ'],
      [creditorB, 'CTXD'],
    ] as const) {
      for (const [i, sample] of sampleClaims(rand, 100, { asOf: today, prefix }).entries()) {
        // Most claims go to the committee's mediators, alternately; a few wait unassigned.
        const assignee = i % 10 === 9 ? null : mediators[i % 2]!;
        let roll = rand() * totalWeight;
        const [position] =
          SPREAD.find(([, weight]) => {
            roll -= weight;
            return roll < 0;
          }) ?? SPREAD[0]!;
        const steps = POSITIONS[position];
        seedClaim(tx, {
          creditor,
          mediationOrgId: committee.id,
          courtOrgId: court.id,
          assignee,
          sample,
          steps,
          actors,
          today,
          // Spread the history over the past weeks, one step every few days, ending before today.
          startAt: new Date(now.getTime() - (steps.length * 4 + 1) * MS_PER_DAY),
          stepMs: 4 * MS_PER_DAY,
          calendar,
          lprRows,
          crypto,
          now,
        });
      }
    }
  });
  return true;
}
