/**
 * Demo data for a fresh installation: organisations, the six demo logins and about 200 claims spread
 * over the funnel. Every claim reaches its position through the lifecycle engine, so its event chain
 * is as real as one made by hand.
 */
import { count } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DB } from '../../db/open.js';
import { type Claim, claims, organisations, users } from '../../db/schema/index.js';
import { loanColumns } from '../../domain/claim-row.js';
import { creditCodeCheckChar } from '../../domain/credit-code.js';
import { shanghaiDate } from '../../domain/dates.js';
import { classify } from '../../domain/five-tier.js';
import type { Actor, ActorKind } from '../../domain/lifecycle.js';
import { assessRate, interestAboveCapFen } from '../../domain/rate-cap.js';
import { hashPassword } from '../auth/password.js';
import { applyTransition } from '../claims/apply-transition.js';
import { upsertDebtor } from '../debtors/store.js';
import type { ReferenceData } from '../reference/service.js';
import { createRng, sampleClaims } from './sample-claims.js';

export const DEMO_PASSWORD = 'demo1234';
export const DEMO_LOGINS = ['admin', 'creditor1', 'creditor2', 'mediator1', 'mediator2', 'clerk1'] as const;

/** Action paths that take a screened claim to each demo position, with a weight out of 100. */
const PATHS: { weight: number; steps: [string, ActorKind][] }[] = [
  { weight: 4, steps: [] },
  { weight: 4, steps: [['screen_needs_fix', 'system']] },
  { weight: 3, steps: [['screen_reject', 'system']] },
  { weight: 24, steps: [['screen_eligible', 'system']] },
  {
    weight: 15,
    steps: [
      ['screen_eligible', 'system'],
      ['notify', 'system'],
    ],
  },
  {
    weight: 8,
    steps: [
      ['screen_eligible', 'system'],
      ['notify', 'system'],
      ['open_session', 'mediator'],
    ],
  },
  {
    weight: 7,
    steps: [
      ['screen_eligible', 'system'],
      ['notify', 'system'],
      ['open_session', 'mediator'],
      ['agree', 'mediator'],
      ['perform', 'mediator'],
    ],
  },
  {
    weight: 3,
    steps: [
      ['screen_eligible', 'system'],
      ['notify', 'system'],
      ['open_session', 'mediator'],
      ['agree', 'mediator'],
      ['confirm', 'court'],
    ],
  },
  {
    weight: 4,
    steps: [
      ['screen_eligible', 'system'],
      ['notify', 'system'],
      ['fail', 'mediator'],
    ],
  },
  {
    weight: 8,
    steps: [
      ['screen_eligible', 'system'],
      ['notify', 'system'],
      ['fail', 'mediator'],
      ['escalate', 'system'],
    ],
  },
  {
    weight: 5,
    steps: [
      ['screen_eligible', 'system'],
      ['time_out', 'system'],
      ['escalate', 'system'],
      ['notify', 'court'],
      ['fail', 'court'],
      ['file_suit', 'creditor'],
    ],
  },
  {
    weight: 3,
    steps: [
      ['screen_eligible', 'system'],
      ['time_out', 'system'],
      ['escalate', 'system'],
      ['fail', 'court'],
      ['file_suit', 'creditor'],
      ['judge', 'court'],
    ],
  },
  {
    weight: 4,
    steps: [
      ['screen_eligible', 'system'],
      ['time_out', 'system'],
      ['escalate', 'system'],
      ['fail', 'court'],
      ['file_suit', 'creditor'],
      ['judge', 'court'],
      ['apply_enforcement', 'creditor'],
      ['take_measures', 'court'],
      ['list_debtor', 'court'],
    ],
  },
  {
    weight: 2,
    steps: [
      ['screen_eligible', 'system'],
      ['time_out', 'system'],
      ['escalate', 'system'],
      ['fail', 'court'],
      ['file_suit', 'creditor'],
      ['judge', 'court'],
      ['apply_enforcement', 'creditor'],
      ['take_measures', 'court'],
      ['list_debtor', 'court'],
      ['record_fulfilment', 'court'],
      ['request_repair', 'debtor'],
    ],
  },
  {
    weight: 4,
    steps: [
      ['screen_eligible', 'system'],
      ['notify', 'system'],
      ['open_session', 'mediator'],
      ['agree', 'mediator'],
      ['perform', 'mediator'],
      ['fulfil', 'creditor'],
    ],
  },
  {
    weight: 2,
    steps: [
      ['screen_eligible', 'system'],
      ['withdraw', 'creditor'],
    ],
  },
];

const SCREENING_BY_FIRST_STEP: Record<string, 'eligible' | 'needs_fix' | 'rejected'> = {
  screen_eligible: 'eligible',
  screen_needs_fix: 'needs_fix',
  screen_reject: 'rejected',
};

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
    const totalWeight = PATHS.reduce((s, p) => s + p.weight, 0);

    for (const [creditor, prefix] of [
      [creditorA, 'MNXJ'],
      [creditorB, 'CTXD'],
    ] as const) {
      for (const [i, s] of sampleClaims(rand, 100, { asOf: today, prefix }).entries()) {
        const debtor = upsertDebtor(tx, crypto, s, now);
        const rate = assessRate({
          lenderType: creditor.lenderType!,
          contractDate: s.loanDate,
          annualRateBp: s.annualRateBp,
          lprRows,
        });
        const { loanClass, riskScore } = classify({
          overdueDays: s.overdueDays,
          outstandingFen: s.principalFen + s.interestFen,
          guarantee: s.guarantee,
          annualRateBp: s.annualRateBp,
        });
        // Most claims go to the committee's mediators, alternately; a few wait unassigned.
        const assignee = i % 10 === 9 ? null : mediators[i % 2]!;
        let roll = rand() * totalWeight;
        const path =
          PATHS.find((p) => {
            roll -= p.weight;
            return roll < 0;
          }) ?? PATHS[0]!;
        const screening = SCREENING_BY_FIRST_STEP[path.steps[0]?.[0] ?? ''] ?? null;
        // Spread the history over the past weeks, one step every few days, ending before today.
        let at = new Date(now.getTime() - (path.steps.length * 4 + 1) * 86_400_000);
        let claim: Claim = tx
          .insert(claims)
          .values({
            creditorOrgId: creditor.id,
            debtorId: debtor.id,
            ...loanColumns(s, today),
            loanClass,
            riskScore,
            aboveCapFen: interestAboveCapFen({ ...s, applicableCapBp: rate.applicableCapBp }),
            screening: screening === 'eligible' && rate.flagged ? 'flagged' : screening,
            stage: 'intake',
            status: 'screening',
            litigationAllowed: (creditor.settlementPolicy as typeof policy).litigationAllowed,
            mediationOrgId: committee.id,
            courtOrgId: court.id,
            assigneeId: assignee?.id ?? null,
            createdAt: at,
            updatedAt: at,
          })
          .returning()
          .get();

        for (const [action, kind] of path.steps) {
          // This creditor's policy keeps failed claims out of court: they stay failed in court mediation.
          if (action === 'file_suit' && !claim.litigationAllowed) break;
          const actor =
            kind === 'mediator' && assignee ? { kind, id: assignee.id, name: assignee.displayName } : actors[kind];
          claim = applyTransition(tx, claim, action, actor, at, { calendar, reason: 'demo data' });
          at = new Date(at.getTime() + 4 * 86_400_000);
        }
      }
    }
  });
  return true;
}
