ALTER TABLE `organisations` ADD `payee_name` text;--> statement-breakpoint
ALTER TABLE `organisations` ADD `payee_bank` text;--> statement-breakpoint
ALTER TABLE `organisations` ADD `payee_account` text;