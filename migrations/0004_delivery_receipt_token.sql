ALTER TABLE `deliveries` ADD `token_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_token_hash_idx` ON `deliveries` (`token_hash`);--> statement-breakpoint
CREATE INDEX `deliveries_document_idx` ON `deliveries` (`document_id`);--> statement-breakpoint
CREATE INDEX `deliveries_claim_idx` ON `deliveries` (`claim_id`);