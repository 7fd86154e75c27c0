CREATE TABLE `payment_import_errors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`import_id` integer NOT NULL,
	`row_no` integer NOT NULL,
	`column` text,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`value_masked` text,
	FOREIGN KEY (`import_id`) REFERENCES `payment_imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payment_import_errors_import_idx` ON `payment_import_errors` (`import_id`,`row_no`);--> statement-breakpoint
CREATE TABLE `payment_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`creditor_org_id` integer NOT NULL,
	`file_name` text,
	`file_sha256` text NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`recorded` integer DEFAULT 0 NOT NULL,
	`duplicates` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`overpaid` integer DEFAULT 0 NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`creditor_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `payments` ADD `creditor_org_id` integer REFERENCES organisations(id);--> statement-breakpoint
ALTER TABLE `payments` ADD `channel` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `status` text DEFAULT 'confirmed' NOT NULL;--> statement-breakpoint
ALTER TABLE `payments` ADD `source` text DEFAULT 'creditor' NOT NULL;--> statement-breakpoint
ALTER TABLE `payments` ADD `costs_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `payments` ADD `interest_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `payments` ADD `principal_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `payments` ADD `overpaid_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `payments` ADD `instalment_parts` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `note` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `dispute_reason` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `import_id` integer REFERENCES payment_imports(id);--> statement-breakpoint
ALTER TABLE `payments` ADD `recorded_by_api_key` integer REFERENCES api_keys(id);--> statement-breakpoint
ALTER TABLE `payments` ADD `decided_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `payments_creditor_reference_idx` ON `payments` (`creditor_org_id`,`reference`);--> statement-breakpoint
CREATE INDEX `payments_creditor_status_idx` ON `payments` (`creditor_org_id`,`status`);--> statement-breakpoint
CREATE INDEX `instalments_status_due_idx` ON `instalments` (`status`,`due_date`);