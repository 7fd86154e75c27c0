/**
 * The action paths that take a freshly imported claim (intake, screening) to each position the demo
 * shows, with the kind of actor who takes each step. The demo seed spreads its claims over them and
 * the test factories put a claim at one of them, both through the lifecycle engine.
 */
import type { ActorKind } from '../../domain/lifecycle.js';

export type Step = readonly [action: string, actor: ActorKind];

const eligible: Step[] = [['screen_eligible', 'system']];
const notified: Step[] = [...eligible, ['notify', 'system']];
const inSession: Step[] = [...notified, ['open_session', 'mediator']];
const agreed: Step[] = [...inSession, ['agree', 'mediator']];
const performing: Step[] = [...agreed, ['perform', 'mediator']];
const courtFailed: Step[] = [...eligible, ['time_out', 'system'], ['escalate', 'system'], ['fail', 'court']];
const judged: Step[] = [...courtFailed, ['file_suit', 'creditor'], ['judge', 'court']];
const listed: Step[] = [
  ...judged,
  ['apply_enforcement', 'creditor'],
  ['take_measures', 'court'],
  ['list_debtor', 'court'],
];

export const POSITIONS = {
  /** intake, screening */
  screening: [],
  /** intake, needs_fix */
  needs_fix: [['screen_needs_fix', 'system']],
  /** intake, limitation_review: the period plainly ran and the creditor decides */
  limitation_review: [['screen_limitation_review', 'system']],
  /** people_mediation, awaiting_contact */
  awaiting_contact: eligible,
  /** people_mediation, notified */
  notified,
  /** people_mediation, in_session */
  in_session: inSession,
  /** people_mediation, performing */
  performing,
  /** people_mediation, agreed: the window to apply for judicial confirmation is open */
  agreed,
  /** the parties applied for judicial confirmation: in the court's queue */
  confirmation_applied: [...agreed, ['apply_confirmation', 'mediator']],
  /** judicially confirmed */
  confirmed: [...agreed, ['apply_confirmation', 'mediator'], ['confirm', 'court']],
  /** people_mediation, failed */
  failed: [...notified, ['fail', 'mediator']],
  /** court_mediation, awaiting_contact */
  escalated: [...notified, ['fail', 'mediator'], ['escalate', 'system']],
  /** litigation, filed (after the court notified the debtor and mediation failed) */
  filed: [
    ...eligible,
    ['time_out', 'system'],
    ['escalate', 'system'],
    ['notify', 'court'],
    ['fail', 'court'],
    ['file_suit', 'creditor'],
  ],
  /** litigation, judged */
  judged,
  /** enforcement, the debtor listed */
  listed,
  /** credit repair requested after fulfilment */
  repair_requested: [...listed, ['record_fulfilment', 'court'], ['request_repair', 'debtor']],
  /** credit repair certified by the court, its certificate not yet issued (a stop came between) */
  repair_certified: [
    ...listed,
    ['record_fulfilment', 'court'],
    ['request_repair', 'debtor'],
    ['approve_repair', 'court'],
    ['certify_repair', 'court'],
  ],
  /** closed, fulfilled */
  fulfilled: [...performing, ['fulfil', 'creditor']],
  /** closed, withdrawn */
  withdrawn: [...eligible, ['withdraw', 'creditor']],
} satisfies Record<string, Step[]>;

export type Position = keyof typeof POSITIONS;
