import { describe, expect, it } from 'vitest';
import { cnCalendar2025_2026 } from './holiday-calendar.js';
import {
  ACTOR_KINDS,
  type ActorKind,
  availableActions,
  type ClaimState,
  formatTransitionTable,
  type Position,
  STAGES,
  STATUSES_BY_STAGE,
  TRANSITIONS,
  type TransitionRule,
  transition,
} from './lifecycle.js';

const NOW = new Date('2026-09-03T04:00:00Z');
const calendar = cnCalendar2025_2026;
const actor = (kind: ActorKind) => ({ kind, id: 1, name: kind });
const ALL_POSITIONS = STAGES.flatMap((stage) => STATUSES_BY_STAGE[stage].map((s) => `${stage}/${s}` as Position));

/** A claim at `position` that satisfies the rule's condition. */
function claimFor(position: Position, rule?: TransitionRule): ClaimState {
  const [stage, status] = position.split('/') as [ClaimState['stage'], ClaimState['status']];
  const when = rule?.when;
  return {
    stage,
    status,
    hold: when === 'held' || when === 'held_by_objection' ? 'objection' : null,
    enforceableTitle: when === 'enforceable_title',
    creditListing: when === 'credit_listing',
    litigationAllowed: true,
    stageDeadline: null,
  };
}

/** The last day of a dated window (the judgment's enforcement window), for steps that need one. */
const WINDOW_END = '2029-01-02';

describe('transition: every allowed transition', () => {
  const cases = TRANSITIONS.flatMap((rule) => rule.from.flatMap((from) => rule.actors.map((a) => ({ rule, from, a }))));

  it('covers every row, position and actor of the table', () => {
    expect(cases.length).toBeGreaterThan(TRANSITIONS.length);
  });

  it.each(cases.map((c) => [c.rule.action, c.from, c.a, c] as const))(
    '%s from %s by %s',
    (_action, _from, _a, { rule, from, a }) => {
      const claim = claimFor(from, rule);
      const result = transition(claim, rule.action, actor(a), NOW, {
        calendar,
        holdKind: 'objection',
        dueOn: WINDOW_END,
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const [stage, status] = from.split('/');
      expect(result.claim.stage).toBe(rule.to?.stage ?? stage);
      expect(result.claim.status).toBe(rule.to?.status ?? status);
      expect(result.event).toMatchObject({
        action: rule.action,
        actor: { kind: a },
        from: { stage, status },
        at: NOW.toISOString(),
      });
      for (const [k, v] of Object.entries(rule.sets ?? {})) expect(result.claim[k as keyof ClaimState]).toBe(v);
    },
  );
});

describe('transition: forbidden', () => {
  it('refuses an actor not in the row, for every row and every actor kind', () => {
    let checked = 0;
    for (const rule of TRANSITIONS) {
      for (const from of rule.from) {
        const permitted = new Set(
          TRANSITIONS.filter((t) => t.action === rule.action && t.from.includes(from)).flatMap((t) => t.actors),
        );
        for (const kind of ACTOR_KINDS.filter((k) => !permitted.has(k))) {
          const result = transition(claimFor(from, rule), rule.action, actor(kind), NOW, {
            calendar,
            holdKind: 'hardship',
          });
          expect(result).toMatchObject({ ok: false, error: { code: 'actor_not_permitted' } });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('refuses every action from a position it does not leave', () => {
    for (const action of new Set(TRANSITIONS.map((t) => t.action))) {
      const from = new Set(TRANSITIONS.filter((t) => t.action === action).flatMap((t) => t.from));
      for (const position of ALL_POSITIONS.filter((p) => !from.has(p) && !p.startsWith('closed/'))) {
        const result = transition(claimFor(position), action, actor('system'), NOW, { calendar });
        expect(result).toMatchObject({ ok: false, error: { code: 'not_allowed_in_state' } });
      }
    }
  });

  it('refuses anything on a closed claim', () => {
    for (const status of STATUSES_BY_STAGE.closed) {
      const result = transition(claimFor(`closed/${status}`), 'withdraw', actor('creditor'), NOW, { calendar });
      expect(result).toMatchObject({ ok: false, error: { code: 'claim_closed' } });
    }
  });

  it('blocks escalation and notices while on hold, and allows what the table allows', () => {
    for (const rule of TRANSITIONS) {
      if (rule.when === 'not_held') continue;
      const claim = { ...claimFor(rule.from[0]!, rule), hold: 'hardship' as const };
      if (rule.when === 'held_by_objection') continue;
      const result = transition(claim, rule.action, actor(rule.actors[0]!), NOW, { calendar, dueOn: WINDOW_END });
      if (rule.onHold === 'blocked') expect(result).toMatchObject({ ok: false, error: { code: 'claim_on_hold' } });
      else expect(result.ok).toBe(true);
    }
  });

  it("refuses a condition that does not hold: litigation the creditor's policy forbids", () => {
    const claim = { ...claimFor('court_mediation/failed'), litigationAllowed: false };
    expect(transition(claim, 'file_suit', actor('creditor'), NOW, { calendar })).toMatchObject({
      ok: false,
      error: { code: 'condition_failed' },
    });
  });

  it('refuses an unknown action and a hold without its kind', () => {
    expect(transition(claimFor('intake/screening'), 'teleport', actor('system'), NOW, { calendar })).toMatchObject({
      ok: false,
      error: { code: 'unknown_action' },
    });
    expect(
      transition(claimFor('people_mediation/notified'), 'place_hold', actor('debtor'), NOW, { calendar }),
    ).toMatchObject({ ok: false, error: { code: 'hold_kind_required' } });
  });
});

describe('transition: semantics', () => {
  it('sends a breached confirmed agreement to enforcement and an unconfirmed one to court mediation', () => {
    const performing = claimFor('people_mediation/performing');
    const confirmed = transition({ ...performing, enforceableTitle: true }, 'breach', actor('creditor'), NOW, {
      calendar,
    });
    const unconfirmed = transition(performing, 'breach', actor('creditor'), NOW, { calendar });
    expect(confirmed.ok && `${confirmed.claim.stage}/${confirmed.claim.status}`).toBe('enforcement/applied');
    expect(unconfirmed.ok && `${unconfirmed.claim.stage}/${unconfirmed.claim.status}`).toBe(
      'court_mediation/awaiting_contact',
    );
  });

  it('starts the mediation time limit, counted per CPL art. 85 over the National Day holiday', () => {
    // 2026-09-03 + 30 days = 2026-10-03, inside the 1–7 October holiday: the period ends on the next working day.
    const result = transition(claimFor('intake/screening'), 'screen_eligible', actor('system'), NOW, { calendar });
    expect(result.ok && result.claim.stageDeadline).toBe('2026-10-08');
    expect(result.ok && result.event.deadline).toEqual({ timer: 'people_mediation', dueOn: '2026-10-08' });
  });

  it('places and releases a hold, and closing clears it', () => {
    const held = transition(claimFor('people_mediation/notified'), 'place_hold', actor('debtor'), NOW, {
      calendar,
      holdKind: 'objection',
    });
    expect(held.ok && held.claim.hold).toBe('objection');
    if (!held.ok) return;
    expect(availableActions(held.claim, 'system')).not.toContain('time_out');
    const upheld = transition(held.claim, 'uphold_objection', actor('mediator'), NOW, { calendar });
    expect(upheld.ok && [upheld.claim.stage, upheld.claim.status, upheld.claim.hold]).toEqual([
      'closed',
      'objection_upheld',
      null,
    ]);
    const released = transition(held.claim, 'release_hold', actor('mediator'), NOW, { calendar });
    expect(released.ok && released.claim.hold).toBe(null);
  });

  it('lists the actions open to an actor', () => {
    expect(availableActions(claimFor('people_mediation/notified'), 'mediator').sort()).toEqual(
      ['agree', 'fail', 'open_session', 'place_hold'].sort(),
    );
    expect(availableActions(claimFor('people_mediation/notified'), 'creditor')).toEqual(['withdraw']);
  });
});

describe('the table as text', () => {
  it('matches the committed snapshot', async () => {
    await expect(formatTransitionTable()).toMatchFileSnapshot('./__snapshots__/lifecycle-table.txt');
  });
});
