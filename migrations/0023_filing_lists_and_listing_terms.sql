CREATE TABLE `filing_list_claims` (
	`list_id` integer NOT NULL,
	`position` integer NOT NULL,
	`claim_id` integer NOT NULL,
	`court_case_id` integer NOT NULL,
	PRIMARY KEY(`list_id`, `position`),
	FOREIGN KEY (`list_id`) REFERENCES `filing_lists`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`court_case_id`) REFERENCES `court_cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `filing_list_claims_case_idx` ON `filing_list_claims` (`court_case_id`);--> statement-breakpoint
CREATE TABLE `filing_lists` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`creditor_org_id` integer NOT NULL,
	`court_org_id` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`creditor_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`court_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `credit_records` ADD `term_ends_on` text;--> statement-breakpoint
CREATE INDEX `credit_records_term_idx` ON `credit_records` (`term_ends_on`);