DROP INDEX `batches_creditor_sha_idx`;--> statement-breakpoint
DROP INDEX `batches_creditor_reference_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `batches_creditor_sha_idx` ON `batches` (`creditor_org_id`,`file_sha256`) WHERE status <> 'failed';--> statement-breakpoint
CREATE UNIQUE INDEX `batches_creditor_reference_idx` ON `batches` (`creditor_org_id`,`reference`) WHERE status <> 'failed';