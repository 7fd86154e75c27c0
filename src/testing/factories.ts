/**
 * Test factories: a test makes the debtors and claims it needs, at the position it needs, instead of
 * searching the demo data for one. Claims are written by the demo seed's own `seedClaim` (import-like
 * rows walked through the lifecycle engine), under the demo organisations — created when the app has no
 * demo data — so that demo users see them.
 */
import { eq } from 'drizzle-orm';
import { batches, type Claim, type Organisation, organisations, users } from '../db/schema/index.js';
import { MS_PER_DAY, shanghaiDate } from '../domain/dates.js';
import type { HoldKind } from '../domain/lifecycle.js';
import { POSITIONS, type Position } from '../modules/admin/demo-positions.js';
import { createRng, type SampleClaim, sampleClaims } from '../modules/admin/sample-claims.js';
import { seedClaim } from '../modules/admin/seed-claim.js';
import { applyTransition } from '../modules/claims/apply-transition.js';
import type { TestApp } from './test-app.js';

const DEMO_ORGS = {
  'CRED-A': { kind: 'creditor', name: '闽南消费金融有限公司', lenderType: 'licensed', litigationAllowed: true },
  'CRED-B': { kind: 'creditor', name: '刺桐小额贷款有限公司', lenderType: 'local_financial', litigationAllowed: false },
  'PMC-QZ': { kind: 'mediation_committee', name: '泉州市鲤城区金融纠纷人民调解委员会' },
  'COURT-LC': { kind: 'court', name: '泉州市鲤城区人民法院', courtCode: '闽0502' },
} as const;
type DemoOrgCode = keyof typeof DEMO_ORGS;

/** The demo organisation with this code, created as the seed makes it when the app has no demo data. */
export function demoOrg(t: TestApp, code: DemoOrgCode): Organisation {
  const found = t.db.select().from(organisations).where(eq(organisations.code, code)).get();
  if (found) return found;
  const { kind, name, ...rest } = DEMO_ORGS[code] as { kind: Organisation['kind']; name: string } & Record<
    string,
    unknown
  >;
  const creditor =
    kind === 'creditor'
      ? {
          lenderType: rest.lenderType as Organisation['lenderType'],
          settlementPolicy: {
            maxDiscountPct: 30,
            maxInstalments: 24,
            minFirstPaymentPct: 10,
            litigationAllowed: rest.litigationAllowed,
          },
        }
      : {};
  return t.db
    .insert(organisations)
    .values({
      kind,
      code,
      name,
      ...creditor,
      ...(kind === 'court' ? { courtCode: rest.courtCode as string } : {}),
      createdAt: t.clock.now(),
    })
    .returning()
    .get();
}

/** A committed batch of the creditor, for claims made with `batchId`. */
export function makeBatch(t: TestApp, creditor: 'CRED-A' | 'CRED-B' = 'CRED-A', reference?: string): number {
  const org = demoOrg(t, creditor);
  return t.db
    .insert(batches)
    .values({ creditorOrgId: org.id, reference: reference ?? null, status: 'committed', createdAt: t.clock.now() })
    .returning({ id: batches.id })
    .get().id;
}

/** Who a debtor is: give one claim's `person` to another to make it the same debtor's. */
export type Person = Pick<SampleClaim, 'name' | 'idNumber' | 'phone' | 'email' | 'address'>;

export interface MakeClaimOptions {
  /** Where the claim stands (default notified: people's mediation, the debtor notified). */
  at?: Position;
  creditor?: 'CRED-A' | 'CRED-B';
  /** The same debtor as an earlier claim. */
  person?: Person;
  /** Contact details of a new debtor (by default a phone and an e-mail address); null for none. */
  phone?: string | null;
  email?: string | null;
  hold?: HoldKind;
  /** The mediator the claim is assigned to (default mediator1); null for unassigned. */
  assignee?: string | null;
  principalFen?: number;
  /** The debtor consented to electronic service in the contract (default no): an SMS link then serves. */
  eServiceConsent?: boolean;
  /** The batch it came in with (a batches row of the same creditor). */
  batchId?: number;
}

export interface MadeClaim {
  claimId: number;
  debtorId: number;
  phone: string | null;
  email: string | null;
  person: Person;
  claim: Claim;
  /** How many events its history has: a test's own events come after these. */
  events: number;
}

let seq = 0;

export function makeClaim(t: TestApp, opts: MakeClaimOptions = {}): MadeClaim {
  const n = ++seq;
  const now = t.clock.now();
  const today = shanghaiDate(now);
  const creditor = demoOrg(t, opts.creditor ?? 'CRED-A');
  const court = demoOrg(t, 'COURT-LC');
  const committee = demoOrg(t, 'PMC-QZ');
  const drawn = sampleClaims(createRng(7919 * n), 1, { asOf: today, prefix: `F${n}-` })[0]!;
  const sample: SampleClaim = {
    ...drawn,
    ...(opts.person ?? {}),
    ...(opts.person ? {} : { phone: opts.phone === undefined ? drawn.phone : opts.phone }),
    ...(opts.person ? {} : { email: opts.email === undefined ? `debtor${n}@example.cn` : opts.email }),
    ...(opts.principalFen === undefined ? {} : { principalFen: opts.principalFen }),
    ...(opts.eServiceConsent === undefined ? {} : { eServiceConsent: opts.eServiceConsent }),
  } as SampleClaim;
  const assigneeName = opts.assignee === undefined ? 'mediator1' : opts.assignee;
  const assignee = assigneeName
    ? (t.db
        .select({ id: users.id, displayName: users.displayName })
        .from(users)
        .where(eq(users.username, assigneeName))
        .get() ?? null)
    : null;
  const steps = POSITIONS[opts.at ?? 'notified'];
  const system = { kind: 'system', id: null, name: 'system' } as const;
  const claim = t.db.transaction((tx) => {
    const walked = seedClaim(tx, {
      creditor,
      mediationOrgId: committee.id,
      courtOrgId: court.id,
      ...(opts.batchId === undefined ? {} : { batchId: opts.batchId }),
      assignee,
      sample,
      steps,
      actors: {
        system,
        creditor: { kind: 'creditor', id: null, name: creditor.name },
        mediator: { kind: 'mediator', id: null, name: 'mediator' },
        court: { kind: 'court', id: null, name: court.name },
        debtor: { kind: 'debtor', id: null, name: sample.name },
      },
      today,
      startAt: new Date(now.getTime() - (steps.length + 1) * MS_PER_DAY),
      stepMs: MS_PER_DAY,
      calendar: t.reference.calendar(),
      lprRows: t.reference.lprRows(),
      crypto: t.crypto,
      now,
    });
    if (!opts.hold) return walked;
    return applyTransition(tx, walked, 'place_hold', system, now, {
      calendar: t.reference.calendar(),
      holdKind: opts.hold,
    });
  });
  const { name, idNumber, phone, email, address } = sample;
  return {
    claimId: claim.id,
    debtorId: claim.debtorId,
    phone,
    email,
    person: { name, idNumber, phone, email, address },
    claim,
    events: claim.version - 1,
  };
}

/** A debtor with `count` open claims from one creditor, for the parties of a session. */
export function makeParties(
  t: TestApp,
  count = 1,
  opts: Omit<MakeClaimOptions, 'person'> = {},
): { debtorId: number; creditorOrgId: number; claimIds: number[]; person: Person } {
  const first = makeClaim(t, opts);
  const rest = Array.from({ length: count - 1 }, () => makeClaim(t, { ...opts, person: first.person }));
  return {
    debtorId: first.debtorId,
    creditorOrgId: first.claim.creditorOrgId,
    claimIds: [first, ...rest].map((c) => c.claimId),
    person: first.person,
  };
}
