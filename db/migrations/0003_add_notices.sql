CREATE TABLE `notices` (
	`id` integer PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`publish_from` text NOT NULL,
	`publish_until` text,
	`created_by` integer,
	`created_at` text NOT NULL,
	`removed_at` text,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "notices_period" CHECK("notices"."publish_until" IS NULL OR "notices"."publish_until" > "notices"."publish_from")
);
--> statement-breakpoint
CREATE INDEX `notices_publish` ON `notices` (`publish_from`);