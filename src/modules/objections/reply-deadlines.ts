/**
 * Reply deadlines of objections and hardship requests (job objections.reply-deadlines). An open
 * objection is owed an answer by its replyDue; a pending hardship request by the same period counted
 * from the day it was filed. Some days before the deadline the organisation holding the claim (its
 * mediation organisation, or the creditor while none is assigned) gets a reminder in its inbox; once
 * the deadline has passed unanswered, its supervisor does: a mediation committee's supervising court
 * (organisations.courtId), otherwise the platform's operator (DESIGN.md §2: admin). Each is a
 * staff_messages row under an idempotency key and an event on each claim concerned, written in one
 * transaction with the job's done mark, so each happens once. Inbox messages reach staff, not
 * debtors: the contact rules (quiet hours, caps) are for contacting people and do not hold them back.
 */
import { and, eq, inArray, lte } from 'drizzle-orm';
import type { DB, Tx } from '../../db/open.js';
import {
  claims,
  hardshipClaims,
  hardshipRequests,
  objections,
  organisations,
  staffMessages,
} from '../../db/schema/index.js';
import { chineseDate } from '../../domain/chinese-date.js';
import { addDays, shanghaiDate } from '../../domain/dates.js';
import { objectionReplyDeadline } from '../../domain/deadlines.js';
import type { HolidayCalendar } from '../../domain/holiday-calendar.js';
import { positionOf } from '../../domain/lifecycle.js';
import type { DueItem } from '../../jobs/exactly-once.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import { appendClaimEvent } from '../claims/events.js';

export type ReplyStep = 'remind' | 'escalate';

export interface ReplyDeadlineItem extends DueItem {
  subject: 'objection' | 'hardship';
  id: number;
  step: ReplyStep;
  replyDue: string;
}

export interface ReplyDeadlineRules {
  calendar: HolidayCalendar;
  /** Days to answer (OBJECTION_REPLY_DAYS). */
  replyDays: number;
  /** Days before the deadline that the organisation is reminded. */
  reminderDays: number;
}

/** The key a step's message is kept under: the item's key, so a listed item whose message exists is done. */
const keyOf = (subject: string, id: number, step: ReplyStep) => `${subject}:${id}:${step}`;

/** The hardship request's reply deadline: the objection period from the day it was filed. */
export const hardshipReplyDue = (cal: HolidayCalendar, createdAt: Date, replyDays: number) =>
  objectionReplyDeadline(cal, shanghaiDate(createdAt), replyDays);

/** Whose step it is on `today`: reminders from `reminderDays` before the deadline up to it, escalations after. */
function stepsDue(replyDue: string, today: string, reminderDays: number): ReplyStep[] {
  if (today > replyDue) return ['remind', 'escalate'];
  return today >= addDays(replyDue, -reminderDays) ? ['remind'] : [];
}

/**
 * The steps due at `now` whose message is not written yet. A step missed (the server was down through
 * the whole reminder window) is still taken: the reminder comes late rather than not at all.
 */
export function replyDeadlinesDue(db: DB, now: Date, rules: ReplyDeadlineRules): ReplyDeadlineItem[] {
  const today = shanghaiDate(now);
  const candidates: Omit<ReplyDeadlineItem, 'key' | 'due'>[] = [];
  const open = db
    .select({ id: objections.id, replyDue: objections.replyDue })
    .from(objections)
    .where(and(eq(objections.status, 'open'), lte(objections.replyDue, addDays(today, rules.reminderDays))))
    .all();
  for (const o of open)
    for (const step of stepsDue(o.replyDue!, today, rules.reminderDays))
      candidates.push({ subject: 'objection', id: o.id, step, replyDue: o.replyDue! });
  // Pending requests are few (each holds its claims until a mediator decides): read them all.
  const pending = db
    .select({ id: hardshipRequests.id, createdAt: hardshipRequests.createdAt })
    .from(hardshipRequests)
    .where(eq(hardshipRequests.status, 'pending'))
    .all();
  for (const h of pending) {
    const replyDue = hardshipReplyDue(rules.calendar, h.createdAt, rules.replyDays);
    for (const step of stepsDue(replyDue, today, rules.reminderDays))
      candidates.push({ subject: 'hardship', id: h.id, step, replyDue });
  }
  const items = candidates.map((c) => ({ ...c, key: keyOf(c.subject, c.id, c.step), due: c.replyDue }));
  const written = new Set<string>();
  for (let i = 0; i < items.length; i += 500) {
    const keys = items.slice(i, i + 500).map((it) => it.key);
    for (const r of db
      .select({ key: staffMessages.idempotencyKey })
      .from(staffMessages)
      .where(inArray(staffMessages.idempotencyKey, keys))
      .all())
      written.add(r.key);
  }
  return items.filter((it) => !written.has(it.key)).sort((a, b) => a.due.localeCompare(b.due));
}

/** The platform operator's organisation: the supervisor of last resort. */
function platformOrg(tx: Tx): number {
  const row = tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.kind, 'platform')).get();
  if (!row) throw new Error('no platform organisation to escalate to');
  return row.id;
}

/** The organisation that owes the answer, and the one that supervises it. */
function responsible(tx: Tx, claim: { creditorOrgId: number; mediationOrgId: number | null }) {
  const ownerId = claim.mediationOrgId ?? claim.creditorOrgId;
  const owner = tx
    .select({
      id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      courtId: organisations.courtId,
    })
    .from(organisations)
    .where(eq(organisations.id, ownerId))
    .get()!;
  const supervisorId = owner.kind === 'mediation_committee' && owner.courtId ? owner.courtId : platformOrg(tx);
  return { owner, supervisorId };
}

const WHAT = { objection: '异议申诉', hardship: '特殊群体救助申请' } as const;

/**
 * Write the step's message and the claims' events, in the job's transaction; null when the step is no
 * longer due (answered meanwhile, or its message written by another run).
 */
export function writeReplyDeadlineStep(tx: Tx, item: ReplyDeadlineItem, now: Date): string | null {
  const subject =
    item.subject === 'objection'
      ? tx.select({ open: objections.status }).from(objections).where(eq(objections.id, item.id)).get()?.open === 'open'
      : tx.select({ s: hardshipRequests.status }).from(hardshipRequests).where(eq(hardshipRequests.id, item.id)).get()
          ?.s === 'pending';
  if (!subject) return null;
  const claimRows =
    item.subject === 'objection'
      ? tx
          .select({ claim: claims })
          .from(objections)
          .innerJoin(claims, eq(objections.claimId, claims.id))
          .where(eq(objections.id, item.id))
          .all()
      : tx
          .select({ claim: claims })
          .from(hardshipClaims)
          .innerJoin(claims, eq(hardshipClaims.claimId, claims.id))
          .where(eq(hardshipClaims.requestId, item.id))
          .orderBy(claims.id)
          .all();
  const list = claimRows.map((r) => r.claim);
  const first = list[0];
  if (!first) return null;
  const { owner, supervisorId } = responsible(tx, first);
  const contracts = list.map((c) => c.contractNo).join('、');
  const what = `${WHAT[item.subject]}第${item.id}号（合同编号 ${contracts}）`;
  const text =
    item.step === 'remind'
      ? `${what}的答复期限为${chineseDate(item.replyDue)}，尚未答复，请在期限内处理。`
      : `${owner.name}未在答复期限${chineseDate(item.replyDue)}前答复${what}，请督促其尽快处理。`;
  const inserted = tx
    .insert(staffMessages)
    .values({
      orgId: item.step === 'remind' ? owner.id : supervisorId,
      kind: item.step === 'remind' ? 'reply_reminder' : 'reply_overdue',
      subjectKind: item.subject,
      subjectId: item.id,
      claimId: first.id,
      text,
      idempotencyKey: item.key,
      createdAt: now,
    })
    .onConflictDoNothing()
    .run().changes;
  if (inserted === 0) return null;
  const action = `${item.subject}_reply_${item.step === 'remind' ? 'reminded' : 'escalated'}`;
  for (const claim of list)
    appendClaimEvent(tx, {
      claimId: claim.id,
      action,
      from: positionOf(claim),
      to: positionOf(claim),
      actor: SYSTEM_ACTOR,
      reason: text,
      data: {
        [item.subject === 'objection' ? 'objectionId' : 'hardshipRequestId']: item.id,
        replyDue: item.replyDue,
        to: item.step === 'remind' ? owner.id : supervisorId,
      },
      at: now,
    });
  return item.step === 'remind' ? 'reminded' : 'escalated';
}
