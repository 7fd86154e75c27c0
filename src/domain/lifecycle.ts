/**
 * The claim lifecycle (DESIGN.md §3) as data: one table of transitions and one pure function that
 * applies it. Nothing else may change a claim's stage, status or hold.
 */
import { shanghaiDate } from './dates.js';
import { mediationDeadline } from './deadlines.js';
import type { HolidayCalendar } from './holiday-calendar.js';
import {
  COURT_PRE_LITIGATION_MEDIATION_DAYS,
  JUDICIAL_CONFIRMATION_APPLICATION_DAYS,
  PEOPLES_MEDIATION_TIMEOUT_DAYS,
} from './rule-defaults.js';

const MEDIATION_STATUSES = [
  'awaiting_contact',
  'notified',
  'in_session',
  'agreed',
  'confirmation_applied',
  'confirmed',
  'performing',
  'failed',
] as const;

export const STATUSES_BY_STAGE = {
  intake: ['screening', 'needs_fix', 'limitation_review'],
  people_mediation: MEDIATION_STATUSES,
  court_mediation: MEDIATION_STATUSES,
  litigation: ['filed', 'judged', 'dismissed'],
  enforcement: ['applied', 'measures', 'fulfilled', 'terminated'],
  credit_repair: ['requested', 'approved', 'certified'],
  closed: ['fulfilled', 'withdrawn', 'rejected', 'objection_upheld', 'uncollectible'],
} as const;

export type Stage = keyof typeof STATUSES_BY_STAGE;
export type Status = (typeof STATUSES_BY_STAGE)[Stage][number];
export const STAGES = Object.keys(STATUSES_BY_STAGE) as [Stage, ...Stage[]];
export const STATUSES = [...new Set(Object.values(STATUSES_BY_STAGE).flat())] as [Status, ...Status[]];

export const ACTOR_KINDS = ['system', 'creditor', 'mediator', 'court', 'debtor'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const HOLD_KINDS = ['objection', 'hardship'] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];

/** A position in the funnel, written `stage/status`. */
export type Position = `${Stage}/${string}`;

/** Where a claim stands (stage, status, hold), as its events record it before and after. */
export const positionOf = (c: Pick<ClaimState, 'stage' | 'status' | 'hold'>) => ({
  stage: c.stage,
  status: c.status,
  hold: c.hold,
});

/** The facts of a claim the engine reads and writes. */
export interface ClaimState {
  stage: Stage;
  status: Status;
  hold: HoldKind | null;
  /** An enforceable title exists: a court-confirmed agreement, a court mediation statement or a judgment. */
  enforceableTitle: boolean;
  /** The debtor is on the dishonest list or under a consumption restriction for this claim. */
  creditListing: boolean;
  /** The creditor's batch policy lets failed claims go to litigation. */
  litigationAllowed: boolean;
  /** The date by which the current stage times out, if it has a time limit. */
  stageDeadline: string | null;
}

export const CONDITIONS = {
  enforceable_title: (c: ClaimState) => c.enforceableTitle,
  no_enforceable_title: (c: ClaimState) => !c.enforceableTitle,
  litigation_allowed: (c: ClaimState) => c.litigationAllowed,
  credit_listing: (c: ClaimState) => c.creditListing,
  no_credit_listing: (c: ClaimState) => !c.creditListing,
  not_held: (c: ClaimState) => c.hold === null,
  held: (c: ClaimState) => c.hold !== null,
  held_by_objection: (c: ClaimState) => c.hold === 'objection',
} as const;
export type Condition = keyof typeof CONDITIONS;

/**
 * Time limits that a transition can start (DOMAIN.md §4.3: 30 days each by default) and the statuses
 * they run in: a mediation's while it is open, the judicial-confirmation window (§4.1 art. 33) while
 * the agreement waits for the parties' application, the 2-year window to apply for enforcement (§3,
 * CPL art. 250) while a judgment waits. That last one is a date the judgment fixes, given by the caller.
 */
export const TIMERS = [
  'people_mediation',
  'court_mediation',
  'judicial_confirmation',
  'enforcement_application',
] as const;
export type Timer = (typeof TIMERS)[number];
export const DEFAULT_TIMER_DAYS: Record<Exclude<Timer, 'enforcement_application'>, number> = {
  people_mediation: PEOPLES_MEDIATION_TIMEOUT_DAYS,
  court_mediation: COURT_PRE_LITIGATION_MEDIATION_DAYS,
  judicial_confirmation: JUDICIAL_CONFIRMATION_APPLICATION_DAYS,
};
const TIMED_STATUSES: readonly string[] = ['awaiting_contact', 'notified', 'in_session', 'agreed', 'judged'];

/** The rule a closed window names when an action it governs comes too late. */
const WINDOW_RULES: Partial<Record<Timer, string>> = {
  judicial_confirmation:
    "People's Mediation Law art. 33 and Civil Procedure Law art. 201: the parties apply for judicial confirmation within 30 days of the agreement taking effect",
  enforcement_application:
    'Civil Procedure Law art. 250: enforcement is applied for within 2 years of the last day of the performance period the judgment fixed',
};

export interface TransitionRule {
  action: string;
  from: readonly Position[];
  /** Target; `status` alone keeps the stage; absent means the position does not change. */
  to?: { stage?: Stage; status: Status };
  actors: readonly ActorKind[];
  when?: Condition;
  /** Whether the action may run while the claim is on hold (objection or hardship review). */
  onHold: 'allowed' | 'blocked';
  sets?: Partial<Pick<ClaimState, 'enforceableTitle' | 'creditListing'>>;
  startsTimer?: Timer;
  /** The action is possible only until the deadline this timer set (its last day included). */
  within?: Timer;
  /** The route that writes the record this step needs (a court case, a ruling); the generic transitions route refuses it. */
  recordedBy?: string;
  summary: string;
}

const MEDIATION = ['people_mediation', 'court_mediation'] as const;
const inMediation = (...statuses: string[]): Position[] =>
  MEDIATION.flatMap((stage) => statuses.map((s) => `${stage}/${s}` as Position));
const ANY_OPEN: readonly Position[] = STAGES.filter((s) => s !== 'closed').flatMap((stage) =>
  STATUSES_BY_STAGE[stage].map((s) => `${stage}/${s}` as Position),
);
// Once enforcement is fulfilled the debt is paid; withdrawing would only hide the repair owed to the debtor.
const ANY_OPEN_BUT_REPAIR = ANY_OPEN.filter((p) => !p.startsWith('credit_repair/'));
const GROUP_LABELS = new Map<readonly Position[], string>([
  [ANY_OPEN, '(any open)'],
  [ANY_OPEN_BUT_REPAIR, '(any open but credit_repair)'],
]);

/** The transition table. Several rows may share an action; the first whose position and condition match wins. */
export const TRANSITIONS: readonly TransitionRule[] = [
  {
    action: 'screen_eligible',
    from: ['intake/screening'],
    to: { stage: 'people_mediation', status: 'awaiting_contact' },
    actors: ['system'],
    onHold: 'blocked',
    startsTimer: 'people_mediation',
    summary: "screening passed: to people's mediation",
  },
  {
    action: 'screen_needs_fix',
    from: ['intake/screening'],
    to: { status: 'needs_fix' },
    actors: ['system'],
    onHold: 'allowed',
    summary: 'screening found missing or defective data',
  },
  {
    // Limitation is the debtor's defence, never applied by a court of its own motion (Civil Code
    // art. 193, DOMAIN.md §3): a claim whose period plainly ran waits for the creditor, it is not closed.
    action: 'screen_limitation_review',
    from: ['intake/screening'],
    to: { status: 'limitation_review' },
    actors: ['system'],
    onHold: 'allowed',
    summary: 'limitation plainly ran: the creditor decides (proceed or withdraw)',
  },
  {
    action: 'proceed_despite_limitation',
    from: ['intake/limitation_review'],
    to: { stage: 'people_mediation', status: 'awaiting_contact' },
    actors: ['creditor'],
    onHold: 'blocked',
    startsTimer: 'people_mediation',
    summary: 'creditor proceeds after limitation review; the debtor is told the period has run',
  },
  {
    action: 'resubmit',
    from: ['intake/needs_fix'],
    to: { status: 'screening' },
    actors: ['creditor'],
    onHold: 'allowed',
    summary: 'creditor corrected the data: screen again',
  },
  {
    action: 'notify',
    from: inMediation('awaiting_contact'),
    to: { status: 'notified' },
    actors: ['system', 'mediator', 'court'],
    onHold: 'blocked',
    summary: 'mediation notice served',
  },
  {
    action: 'open_session',
    from: inMediation('awaiting_contact', 'notified'),
    to: { status: 'in_session' },
    actors: ['mediator', 'court'],
    onHold: 'blocked',
    summary: 'mediation session opened',
  },
  {
    action: 'agree',
    from: inMediation('awaiting_contact', 'notified', 'in_session'),
    to: { status: 'agreed' },
    actors: ['system', 'mediator', 'court'],
    onHold: 'blocked',
    startsTimer: 'judicial_confirmation',
    summary: 'parties reached an agreement: the 30-day window to apply for judicial confirmation opens',
  },
  {
    action: 'apply_confirmation',
    from: inMediation('agreed'),
    to: { status: 'confirmation_applied' },
    actors: ['mediator', 'creditor'],
    onHold: 'blocked',
    within: 'judicial_confirmation',
    recordedBy: 'POST /api/claims/:id/confirmation',
    summary: "the parties' joint application for judicial confirmation goes to the court's queue",
  },
  {
    action: 'confirm',
    from: inMediation('confirmation_applied'),
    to: { status: 'confirmed' },
    actors: ['court'],
    onHold: 'allowed',
    sets: { enforceableTitle: true },
    recordedBy: 'POST /api/court-cases/:id/grant',
    summary: 'court granted judicial confirmation (民特 ruling): an enforceable title',
  },
  {
    action: 'confirm',
    from: ['court_mediation/agreed'],
    to: { status: 'confirmed' },
    actors: ['court'],
    onHold: 'allowed',
    sets: { enforceableTitle: true },
    recordedBy: 'POST /api/claims/:id/mediation-statement',
    summary: 'court mediation statement (民初 调解书) issued: an enforceable title',
  },
  {
    action: 'refuse_confirmation',
    from: inMediation('confirmation_applied'),
    to: { status: 'failed' },
    actors: ['court'],
    onHold: 'allowed',
    recordedBy: 'POST /api/court-cases/:id/refuse',
    summary: 'court refused confirmation with reasons: mediate anew, or sue',
  },
  {
    action: 'perform',
    from: inMediation('agreed', 'confirmed'),
    to: { status: 'performing' },
    actors: ['system', 'mediator', 'court'],
    onHold: 'allowed',
    summary: 'performance of the agreement begins',
  },
  {
    action: 'fulfil',
    from: inMediation('performing'),
    to: { stage: 'closed', status: 'fulfilled' },
    actors: ['system', 'creditor', 'mediator'],
    onHold: 'allowed',
    summary: 'agreement performed in full',
  },
  {
    action: 'breach',
    from: inMediation('performing'),
    to: { stage: 'enforcement', status: 'applied' },
    actors: ['system', 'creditor'],
    when: 'enforceable_title',
    onHold: 'blocked',
    summary: 'breach of a confirmed agreement: straight to enforcement',
  },
  {
    action: 'breach',
    from: ['people_mediation/performing'],
    to: { stage: 'court_mediation', status: 'awaiting_contact' },
    actors: ['system', 'creditor'],
    when: 'no_enforceable_title',
    onHold: 'blocked',
    startsTimer: 'court_mediation',
    summary: "breach of an unconfirmed people's-mediation agreement: to court mediation",
  },
  {
    action: 'breach',
    from: ['court_mediation/performing'],
    to: { status: 'failed' },
    actors: ['system', 'creditor'],
    when: 'no_enforceable_title',
    onHold: 'blocked',
    summary: 'breach of an unconfirmed court-mediation agreement',
  },
  {
    action: 'fail',
    from: inMediation('awaiting_contact', 'notified', 'in_session'),
    to: { status: 'failed' },
    actors: ['mediator', 'court'],
    onHold: 'blocked',
    summary: 'mediation failed',
  },
  {
    action: 'time_out',
    from: inMediation('awaiting_contact', 'notified', 'in_session'),
    to: { status: 'failed' },
    actors: ['system'],
    onHold: 'blocked',
    summary: 'mediation time limit passed',
  },
  {
    action: 'escalate',
    from: ['people_mediation/failed'],
    to: { stage: 'court_mediation', status: 'awaiting_contact' },
    actors: ['system', 'mediator', 'creditor'],
    onHold: 'blocked',
    startsTimer: 'court_mediation',
    summary: 'to court pre-litigation mediation',
  },
  {
    action: 'file_suit',
    from: ['court_mediation/failed'],
    to: { stage: 'litigation', status: 'filed' },
    actors: ['system', 'creditor', 'court'],
    when: 'litigation_allowed',
    onHold: 'blocked',
    summary: 'case filed for litigation',
  },
  {
    action: 'close_unresolved',
    from: ['court_mediation/failed'],
    to: { stage: 'closed', status: 'uncollectible' },
    actors: ['creditor'],
    onHold: 'allowed',
    summary: 'creditor closes a claim that mediation did not resolve',
  },
  {
    action: 'judge',
    from: ['litigation/filed'],
    to: { status: 'judged' },
    actors: ['court'],
    onHold: 'allowed',
    sets: { enforceableTitle: true },
    startsTimer: 'enforcement_application',
    recordedBy: 'POST /api/court-cases/:id/judgment',
    summary: 'judgment for the creditor: the 2-year window to apply for enforcement runs from its performance period',
  },
  {
    action: 'dismiss',
    from: ['litigation/filed'],
    to: { status: 'dismissed' },
    actors: ['court'],
    onHold: 'allowed',
    recordedBy: 'POST /api/court-cases/:id/judgment',
    summary: 'claim dismissed',
  },
  {
    action: 'close_dismissed',
    from: ['litigation/dismissed'],
    to: { stage: 'closed', status: 'rejected' },
    actors: ['court', 'creditor'],
    onHold: 'allowed',
    summary: 'dismissed claim closed',
  },
  {
    action: 'fulfil',
    from: ['litigation/judged'],
    to: { stage: 'closed', status: 'fulfilled' },
    actors: ['creditor', 'court'],
    onHold: 'allowed',
    summary: 'judgment performed voluntarily',
  },
  {
    action: 'apply_enforcement',
    from: ['litigation/judged'],
    to: { stage: 'enforcement', status: 'applied' },
    actors: ['creditor', 'court'],
    onHold: 'blocked',
    within: 'enforcement_application',
    summary: 'application for enforcement: the court registers a 执 case',
  },
  {
    action: 'take_measures',
    from: ['enforcement/applied'],
    to: { status: 'measures' },
    actors: ['court'],
    onHold: 'allowed',
    recordedBy: 'POST /api/court-cases/:id/measures',
    summary: 'enforcement measures taken',
  },
  {
    action: 'list_debtor',
    from: ['enforcement/measures'],
    actors: ['court'],
    when: 'no_credit_listing',
    onHold: 'allowed',
    sets: { creditListing: true },
    recordedBy: 'POST /api/court-cases/:id/measures',
    summary: 'debtor listed as dishonest or restricted in consumption',
  },
  {
    action: 'lapse_listing',
    from: [
      'enforcement/measures',
      'enforcement/terminated',
      'enforcement/fulfilled',
      'credit_repair/requested',
      'credit_repair/approved',
    ],
    actors: ['system'],
    when: 'credit_listing',
    onHold: 'allowed',
    sets: { creditListing: false },
    summary: 'the term of the last listing ended (DOMAIN.md §5.1 art. 2): the court deletes it within 3 working days',
  },
  {
    action: 'record_fulfilment',
    from: ['enforcement/applied', 'enforcement/measures'],
    to: { status: 'fulfilled' },
    actors: ['court', 'creditor'],
    onHold: 'allowed',
    summary: 'enforcement fulfilled',
  },
  {
    action: 'terminate',
    from: ['enforcement/applied', 'enforcement/measures'],
    to: { status: 'terminated' },
    actors: ['court'],
    onHold: 'allowed',
    summary: 'no assets found: this round of enforcement terminated',
  },
  {
    action: 'resume',
    from: ['enforcement/terminated'],
    to: { status: 'measures' },
    actors: ['court', 'creditor'],
    onHold: 'blocked',
    summary: 'enforcement resumed on new asset leads',
  },
  {
    action: 'close_uncollectible',
    from: ['enforcement/terminated'],
    to: { stage: 'closed', status: 'uncollectible' },
    actors: ['court', 'creditor'],
    onHold: 'allowed',
    summary: 'claim closed as uncollectible',
  },
  {
    action: 'request_repair',
    from: ['enforcement/fulfilled'],
    to: { stage: 'credit_repair', status: 'requested' },
    actors: ['debtor', 'creditor', 'court'],
    when: 'credit_listing',
    onHold: 'allowed',
    summary: 'credit repair requested',
  },
  {
    action: 'close_fulfilled',
    from: ['enforcement/fulfilled'],
    to: { stage: 'closed', status: 'fulfilled' },
    actors: ['system', 'court', 'creditor'],
    when: 'no_credit_listing',
    onHold: 'allowed',
    summary: 'fulfilled with no listing to remove',
  },
  {
    action: 'approve_repair',
    from: ['credit_repair/requested'],
    to: { status: 'approved' },
    actors: ['court'],
    onHold: 'allowed',
    summary: 'court approved the removal of listings',
  },
  {
    action: 'certify_repair',
    from: ['credit_repair/approved'],
    to: { status: 'certified' },
    actors: ['court'],
    onHold: 'allowed',
    sets: { creditListing: false },
    summary: 'listings removed and certificate issued',
  },
  {
    action: 'close_repaired',
    from: ['credit_repair/certified'],
    to: { stage: 'closed', status: 'fulfilled' },
    actors: ['system', 'court'],
    onHold: 'allowed',
    summary: 'credit repaired: claim closed',
  },
  {
    action: 'withdraw',
    from: ANY_OPEN_BUT_REPAIR,
    to: { stage: 'closed', status: 'withdrawn' },
    actors: ['creditor'],
    onHold: 'allowed',
    summary: 'creditor withdrew the claim',
  },
  {
    action: 'place_hold',
    from: ANY_OPEN,
    actors: ['debtor', 'mediator', 'court', 'system'],
    when: 'not_held',
    onHold: 'allowed',
    summary: 'claim put on hold for an objection or hardship review',
  },
  {
    action: 'release_hold',
    from: ANY_OPEN,
    actors: ['mediator', 'court', 'creditor', 'system'],
    when: 'held',
    onHold: 'allowed',
    summary: 'hold released',
  },
  {
    action: 'uphold_objection',
    from: ANY_OPEN,
    to: { stage: 'closed', status: 'objection_upheld' },
    actors: ['mediator', 'court', 'creditor'],
    when: 'held_by_objection',
    onHold: 'allowed',
    summary: "debtor's objection upheld: claim closed",
  },
];

export const ACTIONS = [...new Set(TRANSITIONS.map((t) => t.action))] as [string, ...string[]];

export interface Actor {
  kind: ActorKind;
  id: number | null;
  name: string;
}

export interface TransitionOptions {
  /** Working-day calendar: stage time limits end per CPL art. 85 (DOMAIN.md §4.5). */
  calendar: HolidayCalendar;
  reason?: string | null;
  holdKind?: HoldKind;
  timerDays?: Partial<typeof DEFAULT_TIMER_DAYS>;
  /** The last day of the enforcement_application window, which the judgment the step records fixes. */
  dueOn?: string;
  /** Set by the generic transitions route: a step that needs its own record (`recordedBy`) is refused there. */
  generic?: boolean;
}

export interface TransitionEvent {
  action: string;
  from: { stage: Stage; status: Status; hold: HoldKind | null };
  to: { stage: Stage; status: Status; hold: HoldKind | null };
  actor: Actor;
  reason: string | null;
  at: string;
  /** The time limit the transition started, if any. */
  deadline: { timer: Timer; dueOn: string } | null;
}

export type TransitionErrorCode =
  | 'unknown_action'
  | 'claim_closed'
  | 'not_allowed_in_state'
  | 'actor_not_permitted'
  | 'condition_failed'
  | 'claim_on_hold'
  | 'hold_kind_required'
  | 'window_closed'
  | 'needs_own_route'
  | 'due_date_required';

export interface TransitionError {
  code: TransitionErrorCode;
  detail: string;
}

export type TransitionResult<C extends ClaimState> =
  | { ok: true; claim: C; event: TransitionEvent }
  | { ok: false; error: TransitionError };

const fail = (code: TransitionErrorCode, detail: string) => ({ ok: false as const, error: { code, detail } });

/** Apply `action` by `actor` to `claim` at `now`: the new claim state and its event, or why not. */
export function transition<C extends ClaimState>(
  claim: C,
  action: string,
  actor: Actor,
  now: Date,
  options: TransitionOptions,
): TransitionResult<C> {
  const rules = TRANSITIONS.filter((t) => t.action === action);
  if (rules.length === 0)
    return fail('unknown_action', `Unknown action "${action}". Known actions: ${ACTIONS.join(', ')}.`);
  const position = `${claim.stage}/${claim.status}` as Position;
  if (claim.stage === 'closed')
    return fail('claim_closed', `The claim is closed (${claim.status}); no further action is possible.`);

  const inPlace = rules.filter((t) => t.from.includes(position));
  if (inPlace.length === 0) {
    return fail(
      'not_allowed_in_state',
      `Action "${action}" is not possible while the claim is ${position}. ${allowedHint(claim, actor)}`,
    );
  }
  const byActor = inPlace.filter((t) => t.actors.includes(actor.kind));
  if (byActor.length === 0) {
    return fail(
      'actor_not_permitted',
      `A ${actor.kind} may not "${action}" a claim that is ${position}; only ${[...new Set(inPlace.flatMap((t) => t.actors))].join(', ')} may.`,
    );
  }
  const rule = byActor.find((t) => !t.when || CONDITIONS[t.when](claim));
  if (!rule) {
    const needed = byActor
      .map((t) => t.when)
      .filter(Boolean)
      .join(' or ');
    return fail('condition_failed', `Action "${action}" needs the claim to satisfy: ${needed}.`);
  }
  if (claim.hold !== null && rule.onHold === 'blocked') {
    return fail(
      'claim_on_hold',
      `The claim is on hold for a pending ${claim.hold} review; "${action}" must wait until the hold is released.`,
    );
  }

  if (options.generic && rule.recordedBy)
    return fail(
      'needs_own_route',
      `"${action}" writes a court record with it: use ${rule.recordedBy} instead of the generic transitions route.`,
    );

  const today = shanghaiDate(now);
  if (rule.within && claim.stageDeadline && today > claim.stageDeadline)
    return fail(
      'window_closed',
      `${WINDOW_RULES[rule.within]}; for this claim the window closed on ${claim.stageDeadline}.`,
    );

  let hold = claim.hold;
  if (action === 'place_hold') {
    if (!options.holdKind)
      return fail('hold_kind_required', 'Say which review the hold is for: objection or hardship.');
    hold = options.holdKind;
  } else if (action === 'release_hold' || rule.to?.stage === 'closed') {
    hold = null;
  }

  const target = rule.to
    ? { stage: rule.to.stage ?? claim.stage, status: rule.to.status }
    : { stage: claim.stage, status: claim.status };
  let deadline: TransitionEvent['deadline'] = null;
  let stageDeadline = target.stage === claim.stage ? claim.stageDeadline : null;
  if (rule.startsTimer) {
    const timer = rule.startsTimer;
    let dueOn: string;
    if (timer === 'enforcement_application') {
      if (!options.dueOn) return fail('due_date_required', `"${action}" needs the last day of its ${timer} window.`);
      dueOn = options.dueOn;
    } else {
      dueOn = mediationDeadline(options.calendar, today, options.timerDays?.[timer] ?? DEFAULT_TIMER_DAYS[timer]);
    }
    deadline = { timer, dueOn };
    stageDeadline = dueOn;
  }
  // A time limit runs only in the statuses it governs (TIMED_STATUSES).
  if (!TIMED_STATUSES.includes(target.status)) stageDeadline = null;

  const next: C = { ...claim, ...rule.sets, stage: target.stage, status: target.status as Status, hold, stageDeadline };
  return {
    ok: true,
    claim: next,
    event: {
      action,
      from: positionOf(claim),
      to: positionOf(next),
      actor,
      reason: options.reason ?? null,
      at: now.toISOString(),
      deadline,
    },
  };
}

/** The actions `actor` could take on `claim` now: what a UI offers as buttons. */
export function availableActions(claim: ClaimState, actorKind: ActorKind): string[] {
  const position = `${claim.stage}/${claim.status}` as Position;
  return [
    ...new Set(
      TRANSITIONS.filter(
        (t) =>
          t.from.includes(position) &&
          t.actors.includes(actorKind) &&
          (!t.when || CONDITIONS[t.when](claim)) &&
          (claim.hold === null || t.onHold === 'allowed'),
      ).map((t) => t.action),
    ),
  ];
}

function allowedHint(claim: ClaimState, actor: Actor): string {
  const actions = availableActions(claim, actor.kind);
  return actions.length ? `Possible now: ${actions.join(', ')}.` : 'No action is open to you in this state.';
}

/** The table as aligned text, one row per transition, for review and the committed snapshot. */
export function formatTransitionTable(rules: readonly TransitionRule[] = TRANSITIONS): string {
  const rows = rules.map((t) => [
    t.action,
    GROUP_LABELS.get(t.from) ?? t.from.join(' '),
    t.to ? `${t.to.stage ?? '(same stage)'}/${t.to.status}` : '(unchanged)',
    t.actors.join(','),
    t.when ?? '',
    t.onHold,
    [
      t.sets
        ? Object.entries(t.sets)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')
        : '',
      t.startsTimer ? `timer:${t.startsTimer}` : '',
      t.within ? `within:${t.within}` : '',
      t.recordedBy ? `via:${t.recordedBy}` : '',
    ]
      .filter(Boolean)
      .join(' '),
  ]);
  const header = ['action', 'from', 'to', 'actors', 'when', 'on hold', 'effects'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  return `${[line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n')}\n`;
}
