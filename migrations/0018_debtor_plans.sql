CREATE TABLE `debtor_plan_claims` (
	`plan_id` integer NOT NULL,
	`claim_id` integer NOT NULL,
	PRIMARY KEY(`plan_id`, `claim_id`),
	FOREIGN KEY (`plan_id`) REFERENCES `debtor_plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `debtor_plan_claims_claim_idx` ON `debtor_plan_claims` (`claim_id`);--> statement-breakpoint
CREATE TABLE `debtor_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`debtor_id` integer NOT NULL,
	`creditor_org_id` integer NOT NULL,
	`kind` text NOT NULL,
	`total_fen` integer NOT NULL,
	`instalments` text NOT NULL,
	`breaches` text NOT NULL,
	`note` text,
	`status` text NOT NULL,
	`settlement_id` integer,
	`decided_by` integer,
	`decision_reason` text,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`creditor_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`settlement_id`) REFERENCES `settlements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `debtor_plans_status_idx` ON `debtor_plans` (`status`,`created_at`);