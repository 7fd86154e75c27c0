ALTER TABLE `court_cases` ADD `year` integer;--> statement-breakpoint
ALTER TABLE `court_cases` ADD `serial` integer;--> statement-breakpoint
ALTER TABLE `court_cases` ADD `status` text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE `court_cases` ADD `reason` text;--> statement-breakpoint
CREATE INDEX `court_cases_queue_idx` ON `court_cases` (`court_org_id`,`kind`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `court_cases_case_no_idx` ON `court_cases` (`case_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `court_cases_serial_idx` ON `court_cases` (`court_org_id`,`kind`,`year`,`serial`);