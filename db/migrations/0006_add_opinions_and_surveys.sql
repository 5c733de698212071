CREATE TABLE `opinions` (
	`id` integer PRIMARY KEY NOT NULL,
	`receipt_no` text NOT NULL,
	`category` text NOT NULL,
	`body` text NOT NULL,
	`contact_name` text,
	`contact_email` text,
	`contact_phone` text,
	`status` text DEFAULT 'new' NOT NULL,
	`answer_draft` text,
	`answer` text,
	`published_body` text,
	`published_at` text,
	`answered_by` integer,
	`created_at` text NOT NULL,
	`contact_deleted_at` text,
	FOREIGN KEY (`answered_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `opinions_receipt_no_unique` ON `opinions` (`receipt_no`);--> statement-breakpoint
CREATE INDEX `opinions_status` ON `opinions` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `opinions_published` ON `opinions` (`published_at`);--> statement-breakpoint
CREATE TABLE `survey_answers` (
	`id` integer PRIMARY KEY NOT NULL,
	`response_id` integer NOT NULL,
	`question_id` integer NOT NULL,
	`rating` integer,
	`choices_json` text,
	`text` text,
	FOREIGN KEY (`response_id`) REFERENCES `survey_responses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`question_id`) REFERENCES `survey_questions`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "survey_answers_rating" CHECK("survey_answers"."rating" IS NULL OR "survey_answers"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE INDEX `survey_answers_question` ON `survey_answers` (`question_id`);--> statement-breakpoint
CREATE TABLE `survey_questions` (
	`id` integer PRIMARY KEY NOT NULL,
	`survey_id` integer NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`prompt` text NOT NULL,
	`options_json` text DEFAULT '[]' NOT NULL,
	`required` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_questions_position` ON `survey_questions` (`survey_id`,`position`);--> statement-breakpoint
CREATE TABLE `survey_responses` (
	`id` integer PRIMARY KEY NOT NULL,
	`survey_id` integer NOT NULL,
	`submitted_at` text NOT NULL,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `survey_responses_survey` ON `survey_responses` (`survey_id`,`submitted_at`);--> statement-breakpoint
CREATE TABLE `surveys` (
	`id` integer PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`opens_at` text NOT NULL,
	`closes_at` text NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "surveys_period" CHECK("surveys"."closes_at" > "surveys"."opens_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `surveys_slug_unique` ON `surveys` (`slug`);