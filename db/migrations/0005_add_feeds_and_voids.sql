ALTER TABLE `bookings` ADD `revision` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `calendar_token_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `groups_calendar_token_hash_unique` ON `groups` (`calendar_token_hash`);--> statement-breakpoint
ALTER TABLE `payments` ADD `voids_payment_id` integer;