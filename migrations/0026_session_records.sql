CREATE TABLE `session_records` (
	`document_id` integer PRIMARY KEY NOT NULL,
	`session_id` integer NOT NULL,
	`last_seq` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_records_session_seq_idx` ON `session_records` (`session_id`,`last_seq`);