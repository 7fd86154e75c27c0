ALTER TABLE `document_jobs` ADD `print_storage_key` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `verify_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `documents_verify_hash_idx` ON `documents` (`verify_hash`);