CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`phone` text,
	`password_hash` text,
	`group_id` integer,
	`is_representative` integer DEFAULT false NOT NULL,
	`disabled_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_email_unique` ON `accounts` (`email`);--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`account_id` integer NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor_id` integer,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`detail_json` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_entity` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `booking_series` (
	`id` integer PRIMARY KEY NOT NULL,
	`rrule` text NOT NULL,
	`space_id` integer NOT NULL,
	`first_start_at` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`skipped_json` text DEFAULT '[]' NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `bookings` (
	`id` integer PRIMARY KEY NOT NULL,
	`space_id` integer NOT NULL,
	`start_at` text NOT NULL,
	`end_at` text NOT NULL,
	`use_date` text NOT NULL,
	`category` text NOT NULL,
	`rate_kind` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`payment_status` text NOT NULL,
	`attendance` text DEFAULT 'expected' NOT NULL,
	`needs_contact` integer DEFAULT false NOT NULL,
	`purpose` text NOT NULL,
	`attendees` integer NOT NULL,
	`actual_attendees` integer,
	`commercial` integer DEFAULT false NOT NULL,
	`admission_fee_yen` integer DEFAULT 0 NOT NULL,
	`total_yen` integer NOT NULL,
	`lines_json` text NOT NULL,
	`pricing_json` text NOT NULL,
	`exemption_percent` integer DEFAULT 0 NOT NULL,
	`exemption_reason` text,
	`deadline_at` text,
	`account_id` integer,
	`group_id` integer,
	`walk_in_name` text,
	`walk_in_phone` text,
	`made_by` integer,
	`series_id` integer,
	`override_reason` text,
	`change_count` integer DEFAULT 0 NOT NULL,
	`permit_no` text,
	`cancelled_at` text,
	`cancellation_fee_yen` integer,
	`cancel_reason` text,
	`facility_caused` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`made_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`series_id`) REFERENCES `booking_series`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "bookings_interval" CHECK("bookings"."end_at" > "bookings"."start_at"),
	CONSTRAINT "bookings_total" CHECK("bookings"."total_yen" >= 0 AND "bookings"."total_yen" % 10 = 0),
	CONSTRAINT "bookings_attendees" CHECK("bookings"."attendees" >= 1),
	CONSTRAINT "bookings_admission" CHECK("bookings"."admission_fee_yen" >= 0),
	CONSTRAINT "bookings_exemption" CHECK("bookings"."exemption_percent" IN (0, 50, 100)),
	CONSTRAINT "bookings_booker" CHECK("bookings"."account_id" IS NOT NULL OR "bookings"."group_id" IS NOT NULL OR "bookings"."walk_in_name" IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_permit_no_unique` ON `bookings` (`permit_no`);--> statement-breakpoint
CREATE INDEX `bookings_space_start` ON `bookings` (`space_id`,`start_at`);--> statement-breakpoint
CREATE INDEX `bookings_use_date` ON `bookings` (`use_date`);--> statement-breakpoint
CREATE INDEX `bookings_account` ON `bookings` (`account_id`);--> statement-breakpoint
CREATE INDEX `bookings_group` ON `bookings` (`group_id`);--> statement-breakpoint
CREATE INDEX `bookings_provisional` ON `bookings` (`status`,`deadline_at`);--> statement-breakpoint
CREATE TABLE `day_overrides` (
	`date` text PRIMARY KEY NOT NULL,
	`closed` integer NOT NULL,
	`open` text,
	`close` text,
	`reason` text,
	`created_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "day_overrides_hours" CHECK("day_overrides"."closed" = 1 OR ("day_overrides"."open" IS NOT NULL AND "day_overrides"."close" IS NOT NULL AND "day_overrides"."close" > "day_overrides"."open"))
);
--> statement-breakpoint
CREATE TABLE `groups` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kana` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`valid_until` text,
	`member_count` integer NOT NULL,
	`fields` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`public_profile` integer DEFAULT false NOT NULL,
	`phone` text,
	`created_at` text NOT NULL,
	CONSTRAINT "groups_member_count" CHECK("groups"."member_count" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_name_unique` ON `groups` (`name`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` integer PRIMARY KEY NOT NULL,
	`booking_id` integer NOT NULL,
	`receipt_no` text NOT NULL,
	`kind` text NOT NULL,
	`amount_yen` integer NOT NULL,
	`method` text NOT NULL,
	`note` text,
	`received_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`received_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "payments_amount" CHECK("payments"."amount_yen" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_receipt_no_unique` ON `payments` (`receipt_no`);--> statement-breakpoint
CREATE INDEX `payments_booking` ON `payments` (`booking_id`);--> statement-breakpoint
CREATE INDEX `payments_created` ON `payments` (`created_at`);--> statement-breakpoint
CREATE TABLE `rate_bands` (
	`id` integer PRIMARY KEY NOT NULL,
	`space_id` integer NOT NULL,
	`band` text NOT NULL,
	`hourly_yen` integer NOT NULL,
	`effective_from` text NOT NULL,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "rate_bands_amount" CHECK("rate_bands"."hourly_yen" >= 0 AND "rate_bands"."hourly_yen" % 2 = 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rate_bands_unique` ON `rate_bands` (`space_id`,`band`,`effective_from`);--> statement-breakpoint
CREATE TABLE `rule_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value_json` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_account` ON `sessions` (`account_id`);--> statement-breakpoint
CREATE TABLE `space_blocks` (
	`id` integer PRIMARY KEY NOT NULL,
	`space_id` integer NOT NULL,
	`start_at` text NOT NULL,
	`end_at` text NOT NULL,
	`reason` text NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "space_blocks_interval" CHECK("space_blocks"."end_at" > "space_blocks"."start_at")
);
--> statement-breakpoint
CREATE INDEX `space_blocks_space_start` ON `space_blocks` (`space_id`,`start_at`);--> statement-breakpoint
CREATE TABLE `space_parts` (
	`whole_id` integer NOT NULL,
	`part_id` integer NOT NULL,
	PRIMARY KEY(`whole_id`, `part_id`),
	FOREIGN KEY (`whole_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`part_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "space_parts_distinct" CHECK("space_parts"."whole_id" <> "space_parts"."part_id")
);
--> statement-breakpoint
CREATE TABLE `spaces` (
	`id` integer PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`name_en` text NOT NULL,
	`capacity` integer NOT NULL,
	`indoor` integer NOT NULL,
	`season_from` text,
	`season_to` text,
	`group_monthly_quota` integer,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`notes` text,
	CONSTRAINT "spaces_capacity" CHECK("spaces"."capacity" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `spaces_slug_unique` ON `spaces` (`slug`);