CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_prefix_idx` ON `api_keys` (`prefix`);--> statement-breakpoint
CREATE INDEX `api_keys_org_idx` ON `api_keys` (`org_id`);--> statement-breakpoint
CREATE TABLE `auth_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` integer,
	`debtor_id` integer,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `auth_sessions_token_idx` ON `auth_sessions` (`token_hash`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`credit_code` text,
	`lender_type` text,
	`court_code` text,
	`court_id` integer,
	`settlement_policy` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`court_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_code_unique` ON `organisations` (`code`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` integer NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`disabled_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE INDEX `users_org_idx` ON `users` (`org_id`);--> statement-breakpoint
CREATE TABLE `debtors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`id_number_enc` text NOT NULL,
	`id_number_hash` text NOT NULL,
	`phone_enc` text,
	`phone_hash` text,
	`address_enc` text,
	`email_enc` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `debtors_id_number_hash_idx` ON `debtors` (`id_number_hash`);--> statement-breakpoint
CREATE INDEX `debtors_phone_hash_idx` ON `debtors` (`phone_hash`);--> statement-breakpoint
CREATE INDEX `debtors_name_idx` ON `debtors` (`name`);--> statement-breakpoint
CREATE TABLE `batch_row_errors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` integer NOT NULL,
	`row_no` integer NOT NULL,
	`column` text,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`value_masked` text,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `batch_row_errors_batch_idx` ON `batch_row_errors` (`batch_id`,`row_no`);--> statement-breakpoint
CREATE TABLE `batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`creditor_org_id` integer NOT NULL,
	`reference` text,
	`file_name` text,
	`file_sha256` text,
	`format` text,
	`status` text NOT NULL,
	`strict` integer DEFAULT false NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`accepted` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`errors_by_code` text,
	`warnings` text,
	`policy` text,
	`mediation_org_id` integer,
	`created_by_user_id` integer,
	`created_by_api_key_id` integer,
	`failure_detail` text,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`creditor_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mediation_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_api_key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `batches_creditor_sha_idx` ON `batches` (`creditor_org_id`,`file_sha256`);--> statement-breakpoint
CREATE UNIQUE INDEX `batches_creditor_reference_idx` ON `batches` (`creditor_org_id`,`reference`);--> statement-breakpoint
CREATE INDEX `batches_creditor_idx` ON `batches` (`creditor_org_id`,`id`);--> statement-breakpoint
CREATE TABLE `claim_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`action` text NOT NULL,
	`from_stage` text NOT NULL,
	`from_status` text NOT NULL,
	`from_hold` text,
	`to_stage` text NOT NULL,
	`to_status` text NOT NULL,
	`to_hold` text,
	`actor_kind` text NOT NULL,
	`actor_id` integer,
	`actor_name` text NOT NULL,
	`reason` text,
	`data` text,
	`at` integer NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claim_events_claim_seq_idx` ON `claim_events` (`claim_id`,`seq`);--> statement-breakpoint
CREATE TABLE `claims` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`creditor_org_id` integer NOT NULL,
	`debtor_id` integer NOT NULL,
	`batch_id` integer,
	`contract_no` text NOT NULL,
	`loan_date` text NOT NULL,
	`due_date` text NOT NULL,
	`principal_fen` integer NOT NULL,
	`interest_fen` integer DEFAULT 0 NOT NULL,
	`penalty_fen` integer DEFAULT 0 NOT NULL,
	`fees_fen` integer DEFAULT 0 NOT NULL,
	`annual_rate_bp` integer,
	`overdue_since` text NOT NULL,
	`guarantee` text DEFAULT 'none' NOT NULL,
	`loan_class` text,
	`risk_score` integer,
	`screening` text,
	`screening_notes` text,
	`above_cap_fen` integer DEFAULT 0 NOT NULL,
	`stage` text NOT NULL,
	`status` text NOT NULL,
	`hold` text,
	`enforceable_title` integer DEFAULT false NOT NULL,
	`credit_listing` integer DEFAULT false NOT NULL,
	`litigation_allowed` integer DEFAULT true NOT NULL,
	`stage_deadline` text,
	`mediation_org_id` integer,
	`court_org_id` integer,
	`assignee_id` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`creditor_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mediation_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`court_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claims_creditor_contract_idx` ON `claims` (`creditor_org_id`,`contract_no`);--> statement-breakpoint
CREATE INDEX `claims_creditor_stage_idx` ON `claims` (`creditor_org_id`,`stage`,`status`);--> statement-breakpoint
CREATE INDEX `claims_mediation_org_idx` ON `claims` (`mediation_org_id`,`stage`);--> statement-breakpoint
CREATE INDEX `claims_court_org_idx` ON `claims` (`court_org_id`,`stage`);--> statement-breakpoint
CREATE INDEX `claims_debtor_idx` ON `claims` (`debtor_id`);--> statement-breakpoint
CREATE INDEX `claims_batch_idx` ON `claims` (`batch_id`);--> statement-breakpoint
CREATE INDEX `claims_assignee_idx` ON `claims` (`assignee_id`);--> statement-breakpoint
CREATE INDEX `claims_overdue_idx` ON `claims` (`overdue_since`);--> statement-breakpoint
CREATE TABLE `contact_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`debtor_id` integer NOT NULL,
	`claim_id` integer,
	`delivery_id` integer,
	`channel` text NOT NULL,
	`outcome` text NOT NULL,
	`rule` text,
	`detail` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`delivery_id`) REFERENCES `deliveries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contact_log_debtor_idx` ON `contact_log` (`debtor_id`,`at`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` integer,
	`claim_id` integer NOT NULL,
	`debtor_id` integer NOT NULL,
	`channel` text NOT NULL,
	`address_masked` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`idempotency_key` text NOT NULL,
	`due_at` integer NOT NULL,
	`sent_at` integer,
	`opened_at` integer,
	`failure_reason` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_key_idx` ON `deliveries` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`status`,`due_at`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` integer NOT NULL,
	`kind` text NOT NULL,
	`template_id` integer,
	`template_version` integer,
	`doc_no` text NOT NULL,
	`verify_code` text NOT NULL,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`issuer_org_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`template_id`) REFERENCES `templates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issuer_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_doc_no_idx` ON `documents` (`doc_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `documents_verify_code_idx` ON `documents` (`verify_code`);--> statement-breakpoint
CREATE INDEX `documents_claim_idx` ON `documents` (`claim_id`,`kind`);--> statement-breakpoint
CREATE TABLE `templates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`org_id` integer,
	`version` integer NOT NULL,
	`body` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `templates_kind_org_version_idx` ON `templates` (`kind`,`org_id`,`version`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mediator_id` integer NOT NULL,
	`mode` text NOT NULL,
	`status` text NOT NULL,
	`scheduled_at` integer,
	`started_at` integer,
	`ended_at` integer,
	`outcome` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`mediator_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `session_claims` (
	`session_id` integer NOT NULL,
	`claim_id` integer NOT NULL,
	PRIMARY KEY(`session_id`, `claim_id`),
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `session_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`client_id` text,
	`sender_key` text NOT NULL,
	`type` text NOT NULL,
	`from_role` text NOT NULL,
	`from_name` text NOT NULL,
	`body` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_messages_seq_idx` ON `session_messages` (`session_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `session_messages_client_idx` ON `session_messages` (`session_id`,`sender_key`,`client_id`);--> statement-breakpoint
CREATE TABLE `session_participants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`role` text NOT NULL,
	`user_id` integer,
	`debtor_id` integer,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `session_participants_session_idx` ON `session_participants` (`session_id`);--> statement-breakpoint
CREATE TABLE `instalments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`settlement_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`due_date` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`paid_fen` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	FOREIGN KEY (`settlement_id`) REFERENCES `settlements`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `instalments_settlement_idx` ON `instalments` (`settlement_id`,`seq`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` integer NOT NULL,
	`settlement_id` integer,
	`amount_fen` integer NOT NULL,
	`paid_on` text NOT NULL,
	`reference` text,
	`recorded_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`settlement_id`) REFERENCES `settlements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payments_claim_idx` ON `payments` (`claim_id`);--> statement-breakpoint
CREATE TABLE `settlement_claims` (
	`settlement_id` integer NOT NULL,
	`claim_id` integer NOT NULL,
	PRIMARY KEY(`settlement_id`, `claim_id`),
	FOREIGN KEY (`settlement_id`) REFERENCES `settlements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `settlements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer,
	`kind` text NOT NULL,
	`total_fen` integer NOT NULL,
	`hardship` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`agreed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_kind` text NOT NULL,
	`owner_id` integer NOT NULL,
	`file_name` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attachments_owner_idx` ON `attachments` (`owner_kind`,`owner_id`);--> statement-breakpoint
CREATE TABLE `objections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` integer NOT NULL,
	`debtor_id` integer NOT NULL,
	`category` text NOT NULL,
	`statement` text NOT NULL,
	`status` text NOT NULL,
	`reply_due` text,
	`outcome` text,
	`reasons` text,
	`decided_by` integer,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `objections_claim_idx` ON `objections` (`claim_id`);--> statement-breakpoint
CREATE INDEX `objections_status_idx` ON `objections` (`status`);--> statement-breakpoint
CREATE TABLE `court_cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` integer NOT NULL,
	`court_org_id` integer NOT NULL,
	`kind` text NOT NULL,
	`case_no` text,
	`filed_on` text,
	`decided_on` text,
	`outcome` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`court_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `court_cases_claim_idx` ON `court_cases` (`claim_id`);--> statement-breakpoint
CREATE TABLE `credit_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` integer NOT NULL,
	`kind` text NOT NULL,
	`listed_on` text,
	`removed_on` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `credit_records_claim_idx` ON `credit_records` (`claim_id`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`status` text NOT NULL,
	`detail` text,
	`processed` integer DEFAULT 0 NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `job_runs_job_idx` ON `job_runs` (`job`,`started_at`);--> statement-breakpoint
CREATE TABLE `calendar_days` (
	`date` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text
);
--> statement-breakpoint
CREATE TABLE `lpr_rates` (
	`publish_date` text PRIMARY KEY NOT NULL,
	`lpr1y_bp` integer NOT NULL,
	`lpr5y_bp` integer NOT NULL
);
