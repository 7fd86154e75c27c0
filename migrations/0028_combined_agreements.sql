ALTER TABLE `documents` ADD `settlement_id` integer REFERENCES settlements(id);--> statement-breakpoint
CREATE INDEX `documents_settlement_idx` ON `documents` (`settlement_id`,`kind`);--> statement-breakpoint
-- Issue 15 item 3: an agreement made for one claim of a settlement over several contracts said the
-- debtor pays the whole settlement against that one contract, with nothing waived. Those are revoked
-- (asking again makes the one combined agreement); the others are the agreement of their settlement:
-- the latest one of the claim agreed by the time the document was made.
UPDATE `documents` SET `revoked_at` = CAST(unixepoch('subsec') * 1000 AS INTEGER),
  `revoked_reason` = '该调解协议涵盖多份借款合同，本协议书将全部调解金额记于一份合同，与事实不符，予以撤销（数据迁移 0028）'
WHERE `kind` = 'mediation_agreement' AND `revoked_at` IS NULL AND (SELECT count(*) FROM `settlement_claims` m
  WHERE m.`settlement_id` = (SELECT sc.`settlement_id` FROM `settlement_claims` sc
    JOIN `settlements` s ON s.`id` = sc.`settlement_id`
    WHERE sc.`claim_id` = `documents`.`claim_id` AND s.`agreed_at` IS NOT NULL AND s.`agreed_at` <= `documents`.`created_at`
    ORDER BY s.`id` DESC LIMIT 1)) > 1;
--> statement-breakpoint
UPDATE `documents` SET `settlement_id` = (SELECT sc.`settlement_id` FROM `settlement_claims` sc
    JOIN `settlements` s ON s.`id` = sc.`settlement_id`
    WHERE sc.`claim_id` = `documents`.`claim_id` AND s.`agreed_at` IS NOT NULL AND s.`agreed_at` <= `documents`.`created_at`
    ORDER BY s.`id` DESC LIMIT 1)
WHERE `kind` = 'mediation_agreement' AND `revoked_at` IS NULL;
