ALTER TABLE `court_cases` ADD `awarded_principal_fen` integer;--> statement-breakpoint
ALTER TABLE `court_cases` ADD `awarded_interest_fen` integer;--> statement-breakpoint
ALTER TABLE `court_cases` ADD `costs_fen` integer;--> statement-breakpoint
ALTER TABLE `court_cases` ADD `effective_on` text;--> statement-breakpoint
ALTER TABLE `court_cases` ADD `performance_due_on` text;--> statement-breakpoint
ALTER TABLE `credit_records` ADD `court_case_id` integer REFERENCES court_cases(id);--> statement-breakpoint
ALTER TABLE `credit_records` ADD `removal_due_on` text;--> statement-breakpoint
ALTER TABLE `credit_records` ADD `note` text;