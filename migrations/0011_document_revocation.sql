ALTER TABLE `documents` ADD `revoked_at` integer;--> statement-breakpoint
ALTER TABLE `documents` ADD `revoked_reason` text;--> statement-breakpoint
-- Issue 15 item 2: revoke the documents already issued against the issuance table
-- (src/domain/document-issuance.ts), judged by the claim's history when each was made.
UPDATE `documents` SET `revoked_at` = CAST(unixepoch('subsec') * 1000 AS INTEGER),
  `revoked_reason` = '依据文书出具规则复核：出具时不具备出具条件，予以撤销（数据迁移 0011）'
WHERE `revoked_at` IS NULL AND (
  (`kind` = 'credit_repair_certificate' AND NOT EXISTS (SELECT 1 FROM `claim_events` e
    WHERE e.`claim_id` = `documents`.`claim_id` AND e.`action` = 'certify_repair' AND e.`at` <= `documents`.`created_at`))
  OR (`kind` = 'mediation_agreement' AND NOT EXISTS (SELECT 1 FROM `settlement_claims` sc
    JOIN `settlements` s ON s.`id` = sc.`settlement_id`
    WHERE sc.`claim_id` = `documents`.`claim_id` AND s.`agreed_at` IS NOT NULL AND s.`agreed_at` <= `documents`.`created_at`))
  OR (`kind` = 'enforcement_application' AND NOT EXISTS (SELECT 1 FROM `court_cases` cc
    WHERE cc.`claim_id` = `documents`.`claim_id` AND cc.`case_no` IS NOT NULL AND cc.`created_at` <= `documents`.`created_at`))
  OR (`kind` = 'complaint' AND COALESCE((SELECT e.`to_stage` || '/' || e.`to_status` FROM `claim_events` e
    WHERE e.`claim_id` = `documents`.`claim_id` AND e.`at` <= `documents`.`created_at` ORDER BY e.`seq` DESC LIMIT 1), '')
    NOT IN ('court_mediation/failed', 'litigation/filed', 'litigation/judged', 'litigation/dismissed'))
);
