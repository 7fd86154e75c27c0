CREATE TABLE `funnel_tallies` (
	`creditor_org_id` integer NOT NULL,
	`batch_id` integer NOT NULL,
	`mediation_org_id` integer NOT NULL,
	`court_org_id` integer NOT NULL,
	`created_day` text NOT NULL,
	`kind` text NOT NULL,
	`stage` text NOT NULL,
	`detail` text NOT NULL,
	`n` integer NOT NULL,
	`total` integer NOT NULL,
	PRIMARY KEY(`creditor_org_id`, `batch_id`, `mediation_org_id`, `court_org_id`, `created_day`, `kind`, `stage`, `detail`)
);
--> statement-breakpoint
-- What each claim's events and confirmed payments bring to the funnel tallies (db/funnel-tallies.ts keeps the table).
CREATE VIEW funnel_claim_tallies AS
SELECT claim_id, 'flow' AS kind, from_stage AS stage, to_stage AS detail, count(*) AS n, 0 AS total
  FROM claim_events WHERE from_stage <> to_stage GROUP BY claim_id, from_stage, to_stage
UNION ALL
SELECT claim_id, 'settled', '', '', 1, 0 FROM claim_events WHERE action = 'agree' GROUP BY claim_id
UNION ALL
SELECT claim_id, 'settled_in', from_stage, '', 1, 0 FROM claim_events WHERE action = 'agree' GROUP BY claim_id, from_stage
UNION ALL
SELECT claim_id, 'breach', '', '', count(*), 0 FROM claim_events WHERE action = 'breach' GROUP BY claim_id
UNION ALL
SELECT claim_id, 'recovered', '', '', count(*), sum(amount_fen - overpaid_fen) FROM payments WHERE status = 'confirmed' GROUP BY claim_id
UNION ALL
SELECT claim_id, 'stay', stage, CAST((ms + 4320000) / 8640000 AS TEXT), count(*), sum(ms) FROM (
  SELECT e.claim_id, e.from_stage AS stage,
    e.at - coalesce((SELECT p.at FROM claim_events p WHERE p.claim_id = e.claim_id AND p.from_stage <> p.to_stage AND p.seq < e.seq ORDER BY p.seq DESC LIMIT 1),
      (SELECT created_at FROM claims WHERE id = e.claim_id)) AS ms
  FROM claim_events e WHERE e.from_stage <> e.to_stage
) GROUP BY claim_id, stage, CAST((ms + 4320000) / 8640000 AS TEXT);
--> statement-breakpoint
-- The tallies from scratch: what funnel_tallies holds, but for rows that came to zero.
CREATE VIEW funnel_tallies_fresh AS
SELECT creditor_org_id, batch_id, mediation_org_id, court_org_id, created_day, kind, stage, detail, sum(n) AS n, sum(total) AS total FROM (
  SELECT c.creditor_org_id AS creditor_org_id, coalesce(c.batch_id, 0) AS batch_id, coalesce(c.mediation_org_id, 0) AS mediation_org_id,
    coalesce(c.court_org_id, 0) AS court_org_id, date(c.created_at / 1000, 'unixepoch', '+8 hours') AS created_day,
    t.kind AS kind, t.stage AS stage, t.detail AS detail, t.n AS n, t.total AS total
  FROM claims c JOIN (
    SELECT id AS claim_id, 'position' AS kind, stage, status AS detail, 1 AS n, principal_fen + interest_fen + penalty_fen + fees_fen AS total FROM claims
    UNION ALL
    SELECT claim_id, kind, stage, detail, n, total FROM funnel_claim_tallies
  ) t ON t.claim_id = c.id
) GROUP BY creditor_org_id, batch_id, mediation_org_id, court_org_id, created_day, kind, stage, detail;
--> statement-breakpoint
INSERT INTO funnel_tallies (creditor_org_id, batch_id, mediation_org_id, court_org_id, created_day, kind, stage, detail, n, total)
SELECT * FROM funnel_tallies_fresh;
