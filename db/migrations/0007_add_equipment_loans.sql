CREATE TABLE `damage_cases` (
	`id` integer PRIMARY KEY NOT NULL,
	`unit_id` integer NOT NULL,
	`loan_id` integer NOT NULL,
	`group_id` integer,
	`account_id` integer,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`report_note` text,
	`cost_yen` integer,
	`liable` integer,
	`assessment_note` text,
	`invoice_no` text,
	`waive_reason` text,
	`opened_at` text NOT NULL,
	`opened_by` integer,
	`assessed_at` text,
	`assessed_by` integer,
	`closed_at` text,
	`closed_by` integer,
	FOREIGN KEY (`unit_id`) REFERENCES `equipment_units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`loan_id`) REFERENCES `loans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`opened_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assessed_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "damage_cases_cost" CHECK("damage_cases"."cost_yen" IS NULL OR "damage_cases"."cost_yen" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `damage_cases_invoice_no_unique` ON `damage_cases` (`invoice_no`);--> statement-breakpoint
CREATE INDEX `damage_cases_group` ON `damage_cases` (`group_id`,`status`);--> statement-breakpoint
CREATE INDEX `damage_cases_account` ON `damage_cases` (`account_id`,`status`);--> statement-breakpoint
CREATE INDEX `damage_cases_status` ON `damage_cases` (`status`,`opened_at`);--> statement-breakpoint
CREATE TABLE `equipment_types` (
	`id` integer PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`name_en` text NOT NULL,
	`fee_yen` integer NOT NULL,
	`replacement_yen` integer NOT NULL,
	`hall_only` integer DEFAULT false NOT NULL,
	`tag_prefix` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "equipment_types_fee" CHECK("equipment_types"."fee_yen" >= 0),
	CONSTRAINT "equipment_types_replacement" CHECK("equipment_types"."replacement_yen" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `equipment_types_slug_unique` ON `equipment_types` (`slug`);--> statement-breakpoint
CREATE TABLE `equipment_units` (
	`id` integer PRIMARY KEY NOT NULL,
	`type_id` integer NOT NULL,
	`tag` text NOT NULL,
	`state` text NOT NULL,
	`note` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`type_id`) REFERENCES `equipment_types`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `equipment_units_tag_unique` ON `equipment_units` (`tag`);--> statement-breakpoint
CREATE INDEX `equipment_units_type` ON `equipment_units` (`type_id`,`state`);--> statement-breakpoint
CREATE TABLE `loan_items` (
	`loan_id` integer NOT NULL,
	`type_id` integer NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`loan_id`, `type_id`),
	FOREIGN KEY (`loan_id`) REFERENCES `loans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`type_id`) REFERENCES `equipment_types`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "loan_items_quantity" CHECK("loan_items"."quantity" >= 1)
);
--> statement-breakpoint
CREATE INDEX `loan_items_type` ON `loan_items` (`type_id`);--> statement-breakpoint
CREATE TABLE `loan_units` (
	`loan_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`checked_out_at` text NOT NULL,
	`returned_at` text,
	`condition` text,
	`note` text,
	PRIMARY KEY(`loan_id`, `unit_id`),
	FOREIGN KEY (`loan_id`) REFERENCES `loans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `equipment_units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `loan_units_unit` ON `loan_units` (`unit_id`);--> statement-breakpoint
CREATE TABLE `loans` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`booking_id` integer,
	`group_id` integer,
	`account_id` integer,
	`start_at` text NOT NULL,
	`end_at` text NOT NULL,
	`status` text NOT NULL,
	`needs_attention` text,
	`checked_out_at` text,
	`checked_out_by` integer,
	`picked_up_by` text,
	`returned_at` text,
	`returned_by` integer,
	`cancelled_at` text,
	`made_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checked_out_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`returned_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`made_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "loans_interval" CHECK("loans"."end_at" > "loans"."start_at"),
	CONSTRAINT "loans_booking_kind" CHECK(("loans"."kind" = 'booking') = ("loans"."booking_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX `loans_start` ON `loans` (`start_at`);--> statement-breakpoint
CREATE INDEX `loans_booking` ON `loans` (`booking_id`);--> statement-breakpoint
CREATE INDEX `loans_group` ON `loans` (`group_id`);--> statement-breakpoint
CREATE INDEX `loans_status` ON `loans` (`status`,`end_at`);--> statement-breakpoint
-- A booking's equipment follows the booking whatever code path changes it: a cancelled or expired
-- booking releases its reserved equipment, and a moved booking moves its loans with it.
CREATE TRIGGER bookings_release_loans
AFTER UPDATE OF status ON bookings
WHEN NEW.status IN ('cancelled', 'expired') AND OLD.status IN ('provisional', 'confirmed')
BEGIN
  UPDATE loans SET status = 'cancelled', cancelled_at = NEW.updated_at, updated_at = NEW.updated_at
  WHERE booking_id = NEW.id AND status = 'reserved';
END;
--> statement-breakpoint
CREATE TRIGGER bookings_move_loans
AFTER UPDATE OF start_at, end_at ON bookings
WHEN NEW.start_at <> OLD.start_at OR NEW.end_at <> OLD.end_at
BEGIN
  UPDATE loans SET start_at = NEW.start_at, end_at = NEW.end_at, updated_at = NEW.updated_at
  WHERE booking_id = NEW.id AND status IN ('reserved', 'checked_out');
END;
