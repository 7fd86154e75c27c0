ALTER TABLE `batches` ADD `skipped` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `batches` ADD `screening` text;--> statement-breakpoint
ALTER TABLE `batches` ADD `charset` text;--> statement-breakpoint
ALTER TABLE `batches` ADD `sheet` text;--> statement-breakpoint
ALTER TABLE `claims` ADD `limitation_expires_on` text;