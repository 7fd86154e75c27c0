CREATE TABLE `claim_action_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` integer NOT NULL,
	`claim_id` integer NOT NULL,
	`status` text NOT NULL,
	`code` text,
	`rule` text,
	`detail` text,
	FOREIGN KEY (`job_id`) REFERENCES `claim_action_jobs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `claim_action_items_job_idx` ON `claim_action_items` (`job_id`,`status`);--> statement-breakpoint
CREATE TABLE `claim_action_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`client_key` text NOT NULL,
	`request_hash` text NOT NULL,
	`action` text NOT NULL,
	`payload` text NOT NULL,
	`requested_by` integer,
	`requested_by_api_key` integer,
	`status` text NOT NULL,
	`total` integer NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claim_action_jobs_key_idx` ON `claim_action_jobs` (`org_id`,`client_key`);