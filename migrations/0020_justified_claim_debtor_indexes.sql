DROP INDEX `claims_assignee_idx`;--> statement-breakpoint
DROP INDEX `claims_overdue_idx`;--> statement-breakpoint
DROP INDEX `debtors_phone_hash_idx`;--> statement-breakpoint
DROP INDEX `debtors_name_idx`;