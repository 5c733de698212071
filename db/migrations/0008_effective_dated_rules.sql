CREATE TABLE `rule_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`effective_from` text NOT NULL,
	`value_json` text NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rule_versions_key_date` ON `rule_versions` (`key`,`effective_from`);--> statement-breakpoint
CREATE TABLE `space_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`space_id` integer NOT NULL,
	`effective_from` text NOT NULL,
	`capacity` integer NOT NULL,
	`season_from` text,
	`season_to` text,
	`group_monthly_quota` integer,
	`created_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "space_versions_capacity" CHECK("space_versions"."capacity" > 0),
	CONSTRAINT "space_versions_season" CHECK(("space_versions"."season_from" IS NULL) = ("space_versions"."season_to" IS NULL)),
	CONSTRAINT "space_versions_quota" CHECK("space_versions"."group_monthly_quota" IS NULL OR "space_versions"."group_monthly_quota" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `space_versions_space_date` ON `space_versions` (`space_id`,`effective_from`);--> statement-breakpoint
-- The rules stored so far become versions in force "since ever", so every earlier date keeps them
-- and a manager's later version starts on its own date. The settings that apply at once
-- (registration, opinions) stay in rule_settings.
INSERT INTO `rule_versions` (`key`, `effective_from`, `value_json`, `created_by`, `created_at`)
SELECT `key`, '2000-01-01', `value_json`, NULL, `updated_at` FROM `rule_settings`
WHERE `key` IN ('calendar', 'bands', 'pricing', 'windows', 'life');
--> statement-breakpoint
DELETE FROM `rule_settings` WHERE `key` IN ('calendar', 'bands', 'pricing', 'windows', 'life');
