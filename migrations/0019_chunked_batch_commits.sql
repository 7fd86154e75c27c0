CREATE TABLE `import_corrections` (
	`batch_id` integer NOT NULL,
	`claim_id` integer NOT NULL,
	`row` text NOT NULL,
	PRIMARY KEY(`batch_id`, `claim_id`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `import_debtor_updates` (
	`batch_id` integer NOT NULL,
	`debtor_id` integer NOT NULL,
	`name` text NOT NULL,
	`phone_enc` text,
	`phone_hash` text,
	`address_enc` text,
	`email_enc` text,
	PRIMARY KEY(`batch_id`, `debtor_id`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `batches` ADD `importer_pid` integer;--> statement-breakpoint
ALTER TABLE `batches` ADD `heartbeat_at` integer;--> statement-breakpoint
ALTER TABLE `batches` ADD `dry_run` integer DEFAULT false NOT NULL;