/**
 * Keeping funnel_tallies (db/schema/stats.ts) true as claims are written, in the write's own transaction.
 *
 * Every connection openDatabase opens (the server, its worker threads, jobs, scripts, tests) carries
 * TEMP triggers on claims, claim_events and payments that add each write's part: a claim's position
 * as it is inserted, changed or deleted; each event's move, stay, agreement or breach as it is
 * appended; a payment as it is confirmed or changed; and the whole of a claim's events and payments
 * moved when it changes group (another mediation organisation or court). The bulk import's own
 * connection has none, since a trigger makes SQLite keep a statement journal for every row written
 * (about 25 µs a statement on the claims table): it adds its slices' claims whole, set-based, when it
 * commits (`claimTallies`), and a discarded batch drops its tallies at the end.
 *
 * The views funnel_claim_tallies (a claim's events and payments) and funnel_tallies_fresh (the table
 * from scratch, which the migration filled it from and the tests compare it with) come with migration 0030.
 */
import type Database from 'better-sqlite3';

const COLUMNS = 'creditor_org_id, batch_id, mediation_org_id, court_org_id, created_day, kind, stage, detail';
const INTO = `INSERT INTO funnel_tallies (${COLUMNS}, n, total)`;
const UPSERT = `ON CONFLICT (${COLUMNS}) DO UPDATE SET n = n + excluded.n, total = total + excluded.total`;
/** The claim group of a claims row `r`, as funnel_tallies keys it (the same as the views). */
const group = (r: string) =>
  `${r}.creditor_org_id, coalesce(${r}.batch_id, 0), coalesce(${r}.mediation_org_id, 0), coalesce(${r}.court_org_id, 0), date(${r}.created_at / 1000, 'unixepoch', '+8 hours')`;
const claimed = (r: string) => `${r}.principal_fen + ${r}.interest_fen + ${r}.penalty_fen + ${r}.fees_fen`;
const GROUP_COLUMNS = ['creditor_org_id', 'batch_id', 'mediation_org_id', 'court_org_id', 'created_at'];
const regrouped = GROUP_COLUMNS.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ');

/** The events and payments of the claims `ids`, added (1) or taken (-1) at their group as the claims table has it now. */
const eventsOf = (ids: string, sign: 1 | -1) =>
  `${INTO} SELECT ${group('c')}, t.kind, t.stage, t.detail, ${sign} * t.n, ${sign} * t.total
   FROM funnel_claim_tallies t JOIN claims c ON c.id = t.claim_id WHERE t.claim_id IN (${ids}) ${UPSERT};`;
const position = (r: 'old' | 'new', sign: 1 | -1) =>
  `${INTO} SELECT ${group(r)}, 'position', ${r}.stage, ${r}.status, ${sign}, ${sign} * (${claimed(r)}) WHERE true ${UPSERT};`;
const recovered = (r: 'old' | 'new', sign: 1 | -1) =>
  `${INTO} SELECT ${group('c')}, 'recovered', '', '', ${sign}, ${sign} * (${r}.amount_fen - ${r}.overpaid_fen)
   FROM claims c WHERE c.id = ${r}.claim_id AND ${r}.status = 'confirmed' ${UPSERT};`;
/** The event's own part, beside its claim's row. */
const eventPart = (name: string, when: string, part: string, from = 'claims c WHERE c.id = new.claim_id') =>
  `CREATE TEMP TRIGGER IF NOT EXISTS claim_events_tally_${name} AFTER INSERT ON main.claim_events WHEN ${when} BEGIN
     ${INTO} SELECT ${group('c')}, ${part} FROM ${from} ${UPSERT};
   END`;
const noEarlierAgreement = (sameStage: boolean) =>
  `NOT EXISTS (SELECT 1 FROM claim_events p WHERE p.claim_id = new.claim_id AND p.action = 'agree' AND p.id <> new.id${sameStage ? ' AND p.from_stage = new.from_stage' : ''})`;
/** A stay runs from the claim's previous change of stage (or its import) to the event that leaves the stage; counted per tenth of a day. */
const STAY_MS = `new.at - coalesce((SELECT p.at FROM claim_events p WHERE p.claim_id = new.claim_id AND p.from_stage <> p.to_stage AND p.seq < new.seq ORDER BY p.seq DESC LIMIT 1), created_at)`;

const TRIGGERS = [
  `CREATE TEMP TRIGGER IF NOT EXISTS claims_tally_insert AFTER INSERT ON main.claims BEGIN
     ${position('new', 1)}
   END`,
  `CREATE TEMP TRIGGER IF NOT EXISTS claims_tally_delete BEFORE DELETE ON main.claims BEGIN
     ${position('old', -1)}
     ${eventsOf('old.id', -1)}
   END`,
  `CREATE TEMP TRIGGER IF NOT EXISTS claims_tally_position
   AFTER UPDATE OF stage, status, principal_fen, interest_fen, penalty_fen, fees_fen, ${GROUP_COLUMNS.join(', ')} ON main.claims
   WHEN old.stage IS NOT new.stage OR old.status IS NOT new.status OR ${claimed('old')} IS NOT ${claimed('new')} OR ${regrouped} BEGIN
     ${position('old', -1)}
     ${position('new', 1)}
   END`,
  // Before the change the claim's events are taken from its old group (its stays from its old import time), after it put in the new.
  `CREATE TEMP TRIGGER IF NOT EXISTS claims_tally_regroup_leave BEFORE UPDATE OF ${GROUP_COLUMNS.join(', ')} ON main.claims
   WHEN ${regrouped} BEGIN
     ${eventsOf('old.id', -1)}
   END`,
  `CREATE TEMP TRIGGER IF NOT EXISTS claims_tally_regroup_enter AFTER UPDATE OF ${GROUP_COLUMNS.join(', ')} ON main.claims
   WHEN ${regrouped} BEGIN
     ${eventsOf('new.id', 1)}
   END`,
  // The hot path, every event appended: a trigger per part, so an event that moves nothing costs only the WHEN tests.
  eventPart('flow', 'new.from_stage <> new.to_stage', "'flow', new.from_stage, new.to_stage, 1, 0"),
  eventPart(
    'stay',
    'new.from_stage <> new.to_stage',
    "'stay', new.from_stage, CAST((c.ms + 4320000) / 8640000 AS TEXT), 1, c.ms",
    `(SELECT *, ${STAY_MS} AS ms FROM claims WHERE id = new.claim_id) c WHERE true`,
  ),
  eventPart('breach', "new.action = 'breach'", "'breach', '', '', 1, 0"),
  eventPart('settled', `new.action = 'agree' AND ${noEarlierAgreement(false)}`, "'settled', '', '', 1, 0"),
  eventPart(
    'settled_in',
    `new.action = 'agree' AND ${noEarlierAgreement(true)}`,
    "'settled_in', new.from_stage, '', 1, 0",
  ),
  // Events are append-only; should one be removed or rewritten all the same, its claims' parts are taken out and put back.
  ...Object.entries({ delete: 'old.claim_id', update: 'old.claim_id, new.claim_id' }).flatMap(([when, ids]) => [
    `CREATE TEMP TRIGGER IF NOT EXISTS claim_events_tally_${when}_leave BEFORE ${when.toUpperCase()} ON main.claim_events BEGIN
       ${eventsOf(ids, -1)}
     END`,
    `CREATE TEMP TRIGGER IF NOT EXISTS claim_events_tally_${when}_enter AFTER ${when.toUpperCase()} ON main.claim_events BEGIN
       ${eventsOf(ids, 1)}
     END`,
  ]),
  `CREATE TEMP TRIGGER IF NOT EXISTS payments_tally_insert AFTER INSERT ON main.payments BEGIN
     ${recovered('new', 1)}
   END`,
  `CREATE TEMP TRIGGER IF NOT EXISTS payments_tally_update AFTER UPDATE OF status, amount_fen, overpaid_fen, claim_id ON main.payments BEGIN
     ${recovered('old', -1)}
     ${recovered('new', 1)}
   END`,
  `CREATE TEMP TRIGGER IF NOT EXISTS payments_tally_delete AFTER DELETE ON main.payments BEGIN
     ${recovered('old', -1)}
   END`,
];

/** Put the tally triggers on this connection (openDatabase does, after migrating). */
export function installFunnelTallyTriggers(sqlite: Database.Database): void {
  for (const trigger of TRIGGERS) sqlite.exec(trigger);
}

const groupAs = (r: string) =>
  `${r}.creditor_org_id AS creditor_org_id, coalesce(${r}.batch_id, 0) AS batch_id, coalesce(${r}.mediation_org_id, 0) AS mediation_org_id,
   coalesce(${r}.court_org_id, 0) AS court_org_id, date(${r}.created_at / 1000, 'unixepoch', '+8 hours') AS created_day`;

/**
 * For a connection without the triggers: add or take whole claims (position, events, payments), those
 * with ids from `first` to `last` (a slice's new claims are consecutive), set-based.
 */
export function claimTallies(sqlite: Database.Database) {
  const statement = (sign: 1 | -1) =>
    sqlite.prepare(
      `${INTO} SELECT ${COLUMNS}, ${sign} * sum(n), ${sign} * sum(total) FROM (
         SELECT ${groupAs('c')}, 'position' AS kind, c.stage AS stage, c.status AS detail, 1 AS n, ${claimed('c')} AS total
         FROM claims c WHERE c.id BETWEEN @first AND @last
         UNION ALL
         SELECT ${groupAs('c')}, t.kind, t.stage, t.detail, t.n, t.total
         FROM funnel_claim_tallies t JOIN claims c ON c.id = t.claim_id WHERE t.claim_id BETWEEN @first AND @last
       ) WHERE true GROUP BY ${COLUMNS} ${UPSERT}`,
    );
  const add = statement(1);
  const take = statement(-1);
  return {
    add: (first: number, last: number) => void add.run({ first, last }),
    take: (first: number, last: number) => void take.run({ first, last }),
  };
}
