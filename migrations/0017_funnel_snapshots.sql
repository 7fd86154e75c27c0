CREATE TABLE `funnel_snapshots` (
	`day` text NOT NULL,
	`creditor_org_id` integer NOT NULL,
	`mediation_org_id` integer NOT NULL,
	`court_org_id` integer NOT NULL,
	`claims` integer NOT NULL,
	`claimed_fen` integer NOT NULL,
	`recovered_fen` integer NOT NULL,
	`settled` integer NOT NULL,
	`breaches` integer NOT NULL,
	`by_stage` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`day`, `creditor_org_id`, `mediation_org_id`, `court_org_id`)
);
