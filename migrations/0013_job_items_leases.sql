CREATE TABLE `job_items` (
	`job` text NOT NULL,
	`item_key` text NOT NULL,
	`due` text NOT NULL,
	`status` text NOT NULL,
	`run_id` integer NOT NULL,
	`lease_until` integer,
	`attempts` integer DEFAULT 1 NOT NULL,
	`outcome` text,
	`error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`job`, `item_key`, `due`)
);
--> statement-breakpoint
CREATE INDEX `job_items_status_idx` ON `job_items` (`job`,`status`);--> statement-breakpoint
ALTER TABLE `job_runs` ADD `failed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `claims_stage_deadline_idx` ON `claims` (`stage_deadline`);