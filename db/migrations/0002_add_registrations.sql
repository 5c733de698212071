CREATE TABLE `group_invitations` (
	`id` integer PRIMARY KEY NOT NULL,
	`group_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`email` text NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`accepted_by` integer,
	`revoked_at` text,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`accepted_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_invitations_token_hash_unique` ON `group_invitations` (`token_hash`);--> statement-breakpoint
CREATE TABLE `registrations` (
	`id` integer PRIMARY KEY NOT NULL,
	`group_id` integer NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`channel` text NOT NULL,
	`member_count` integer NOT NULL,
	`fields` text NOT NULL,
	`description` text NOT NULL,
	`public_profile` integer NOT NULL,
	`attested_at` text NOT NULL,
	`submitted_by` integer,
	`submitted_at` text NOT NULL,
	`decided_by` integer,
	`decided_at` text,
	`reason` text,
	`valid_until` text,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `registrations_status` ON `registrations` (`status`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `registrations_group` ON `registrations` (`group_id`);--> statement-breakpoint
ALTER TABLE `groups` ADD `lapsed_on` text;--> statement-breakpoint
ALTER TABLE `groups` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `groups` ADD `personal_data_deleted_at` text;