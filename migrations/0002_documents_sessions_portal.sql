CREATE TABLE `document_job_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` integer NOT NULL,
	`claim_id` integer NOT NULL,
	`status` text NOT NULL,
	`document_id` integer,
	`error` text,
	FOREIGN KEY (`job_id`) REFERENCES `document_jobs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `document_job_items_job_idx` ON `document_job_items` (`job_id`);--> statement-breakpoint
CREATE TABLE `document_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`requested_by` integer,
	`org_id` integer,
	`filter` text,
	`status` text NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `access_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `access_codes_hash_idx` ON `access_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `access_codes_claim_idx` ON `access_codes` (`claim_id`);--> statement-breakpoint
CREATE TABLE `debtor_challenges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`debtor_id` integer NOT NULL,
	`claim_id` integer NOT NULL,
	`public_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `debtor_challenges_public_idx` ON `debtor_challenges` (`public_id`);--> statement-breakpoint
CREATE TABLE `hardship_claims` (
	`request_id` integer NOT NULL,
	`claim_id` integer NOT NULL,
	PRIMARY KEY(`request_id`, `claim_id`),
	FOREIGN KEY (`request_id`) REFERENCES `hardship_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `hardship_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`debtor_id` integer NOT NULL,
	`reason` text NOT NULL,
	`statement` text NOT NULL,
	`status` text NOT NULL,
	`decision_note` text,
	`decided_by` integer,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hardship_requests_debtor_idx` ON `hardship_requests` (`debtor_id`);--> statement-breakpoint
CREATE INDEX `hardship_requests_status_idx` ON `hardship_requests` (`status`);--> statement-breakpoint
CREATE TABLE `means_statements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`debtor_id` integer NOT NULL,
	`monthly_income_fen` integer NOT NULL,
	`essential_expenses_fen` integer NOT NULL,
	`dependants` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `means_statements_debtor_idx` ON `means_statements` (`debtor_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `debtors` ADD `unreachable_at` integer;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `address_enc` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `last_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `documents` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `service_method` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `served_at` integer;--> statement-breakpoint
ALTER TABLE `documents` ADD `public_notice_on` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `deemed_served_on` text;--> statement-breakpoint
CREATE UNIQUE INDEX `documents_claim_kind_version_idx` ON `documents` (`claim_id`,`kind`,`version`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `creditor_org_id` integer NOT NULL REFERENCES organisations(id);--> statement-breakpoint
ALTER TABLE `sessions` ADD `debtor_id` integer NOT NULL REFERENCES debtors(id);--> statement-breakpoint
ALTER TABLE `settlements` ADD `proposal_seq` integer;--> statement-breakpoint
ALTER TABLE `settlements` ADD `debtor_id` integer NOT NULL REFERENCES debtors(id);--> statement-breakpoint
ALTER TABLE `objections` ADD `new_amounts` text;