ALTER TABLE `claims` ADD `chain_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `claims` ADD `chain_hash` text DEFAULT '0000000000000000000000000000000000000000000000000000000000000000' NOT NULL;--> statement-breakpoint
-- Existing claims take the head of the chain they have (hand-written: drizzle-kit generates no data changes).
UPDATE `claims` SET
  `chain_seq` = (SELECT e.`seq` FROM `claim_events` e WHERE e.`claim_id` = `claims`.`id` ORDER BY e.`seq` DESC LIMIT 1),
  `chain_hash` = (SELECT e.`hash` FROM `claim_events` e WHERE e.`claim_id` = `claims`.`id` ORDER BY e.`seq` DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM `claim_events` e WHERE e.`claim_id` = `claims`.`id`);
