CREATE TABLE `agreement_challenges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`settlement_id` integer NOT NULL,
	`role` text NOT NULL,
	`user_id` integer,
	`debtor_id` integer,
	`code_hash` text NOT NULL,
	`text_sha256` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`settlement_id`) REFERENCES `settlements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agreement_challenges_public_idx` ON `agreement_challenges` (`public_id`);--> statement-breakpoint
CREATE INDEX `agreement_challenges_settlement_idx` ON `agreement_challenges` (`settlement_id`,`role`);--> statement-breakpoint
CREATE TABLE `agreement_confirmations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`settlement_id` integer NOT NULL,
	`role` text NOT NULL,
	`user_id` integer,
	`debtor_id` integer,
	`shown_name` text NOT NULL,
	`method` text NOT NULL,
	`text_sha256` text NOT NULL,
	`challenge_id` integer NOT NULL,
	`confirmed_at` integer NOT NULL,
	FOREIGN KEY (`settlement_id`) REFERENCES `settlements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`challenge_id`) REFERENCES `agreement_challenges`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agreement_confirmations_role_idx` ON `agreement_confirmations` (`settlement_id`,`role`);--> statement-breakpoint
ALTER TABLE `documents` ADD `signed_at` integer;--> statement-breakpoint
ALTER TABLE `documents` ADD `unsigned_sha256` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `signers` text;