import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Instants are UTC ISO strings of fixed width ("2026-12-01T00:00:00.000Z") so text order is time
// order; civil dates ("2026-12-01") and clock times ("09:00") are Tokyo's. Money is integer yen.

const createdAt = () => text('created_at').notNull();

export const spaces = sqliteTable('spaces', {
  id: integer('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  capacity: integer('capacity').notNull(),
  indoor: integer('indoor', { mode: 'boolean' }).notNull(),
  seasonFrom: text('season_from'),
  seasonTo: text('season_to'),
  groupMonthlyQuota: integer('group_monthly_quota'),
  sortOrder: integer('sort_order').notNull().default(0),
  notes: text('notes'),
}, (t) => [check('spaces_capacity', sql`${t.capacity} > 0`)]);

/** A whole room and its parts: booking one blocks the other (training = training-a + training-b). */
export const spaceParts = sqliteTable('space_parts', {
  wholeId: integer('whole_id').notNull().references(() => spaces.id),
  partId: integer('part_id').notNull().references(() => spaces.id),
}, (t) => [primaryKey({ columns: [t.wholeId, t.partId] }), check('space_parts_distinct', sql`${t.wholeId} <> ${t.partId}`)]);

/** Hourly general rates by band, each from a date on, so a new fee table leaves older bookings as they were. */
export const rateBands = sqliteTable('rate_bands', {
  id: integer('id').primaryKey(),
  spaceId: integer('space_id').notNull().references(() => spaces.id),
  band: text('band', { enum: ['morning', 'afternoon', 'evening'] }).notNull(),
  hourlyYen: integer('hourly_yen').notNull(),
  effectiveFrom: text('effective_from').notNull(),
}, (t) => [
  uniqueIndex('rate_bands_unique').on(t.spaceId, t.band, t.effectiveFrom),
  check('rate_bands_amount', sql`${t.hourlyYen} >= 0 AND ${t.hourlyYen} % 2 = 0`),
]);

/**
 * Settings that apply at once, as JSON documents by key: the retention periods of registration and
 * the opinion box. The booking rules are dated versions in `rule_versions`.
 */
export const ruleSettings = sqliteTable('rule_settings', {
  key: text('key').primaryKey(),
  valueJson: text('value_json').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * The center's booking rules by section (calendar, bands, pricing, windows, life) as JSON, each
 * version in force from its Tokyo date until the next version's: a booking follows the rules in
 * force on its use date, so a new fee table from April 1 leaves earlier dates of use as they were.
 */
export const ruleVersions = sqliteTable('rule_versions', {
  id: integer('id').primaryKey(),
  key: text('key').notNull(),
  effectiveFrom: text('effective_from').notNull(),
  valueJson: text('value_json').notNull(),
  createdBy: integer('created_by').references(() => accounts.id),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('rule_versions_key_date').on(t.key, t.effectiveFrom)]);

/**
 * A space's capacity, bookable season and group monthly quota from a date on (a room made smaller
 * from April 1). Before a space's first version, the values of its `spaces` row hold.
 */
export const spaceVersions = sqliteTable('space_versions', {
  id: integer('id').primaryKey(),
  spaceId: integer('space_id').notNull().references(() => spaces.id),
  effectiveFrom: text('effective_from').notNull(),
  capacity: integer('capacity').notNull(),
  seasonFrom: text('season_from'),
  seasonTo: text('season_to'),
  groupMonthlyQuota: integer('group_monthly_quota'),
  createdBy: integer('created_by').references(() => accounts.id),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('space_versions_space_date').on(t.spaceId, t.effectiveFrom),
  check('space_versions_capacity', sql`${t.capacity} > 0`),
  check('space_versions_season', sql`(${t.seasonFrom} IS NULL) = (${t.seasonTo} IS NULL)`),
  check('space_versions_quota', sql`${t.groupMonthlyQuota} IS NULL OR ${t.groupMonthlyQuota} >= 0`),
]);

/** A manager's change of one date for the whole center: other hours, or closed, with a public reason. */
export const dayOverrides = sqliteTable('day_overrides', {
  date: text('date').primaryKey(),
  closed: integer('closed', { mode: 'boolean' }).notNull(),
  open: text('open'),
  close: text('close'),
  reason: text('reason'),
  createdBy: integer('created_by').references(() => accounts.id),
  createdAt: createdAt(),
}, (t) => [check('day_overrides_hours', sql`${t.closed} = 1 OR (${t.open} IS NOT NULL AND ${t.close} IS NOT NULL AND ${t.close} > ${t.open})`)]);

/** One space taken out of use for a period: maintenance, the center's own events, shelter use. */
export const spaceBlocks = sqliteTable('space_blocks', {
  id: integer('id').primaryKey(),
  spaceId: integer('space_id').notNull().references(() => spaces.id),
  startAt: text('start_at').notNull(),
  endAt: text('end_at').notNull(),
  reason: text('reason').notNull(),
  createdBy: integer('created_by').references(() => accounts.id),
  createdAt: createdAt(),
}, (t) => [index('space_blocks_space_start').on(t.spaceId, t.startAt), check('space_blocks_interval', sql`${t.endAt} > ${t.startAt}`)]);

export const groups = sqliteTable('groups', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
  kana: text('kana').notNull(),
  type: text('type', { enum: ['npo', 'volunteer', 'neighborhood-association', 'district-committee', 'other'] }).notNull(),
  status: text('status', { enum: ['pending', 'active', 'rejected', 'suspended', 'lapsed'] }).notNull(),
  validUntil: text('valid_until'),
  memberCount: integer('member_count').notNull(),
  fields: text('fields').notNull().default(''),
  description: text('description').notNull().default(''),
  publicProfile: integer('public_profile', { mode: 'boolean' }).notNull().default(false),
  phone: text('phone'),
  createdAt: createdAt(),
  /** The day the group lapsed (its registration ran out without renewal); personal data is deleted a retention period later. */
  lapsedOn: text('lapsed_on'),
  /** Why a manager suspended or rejected the group; the group sees it. */
  statusReason: text('status_reason'),
  /** Set when a lapsed group's personal data was deleted. */
  personalDataDeletedAt: text('personal_data_deleted_at'),
  /** SHA-256 of the group's private calendar feed token; a new token replaces it. */
  calendarTokenHash: text('calendar_token_hash').unique(),
}, (t) => [check('groups_member_count', sql`${t.memberCount} >= 1`)]);

/** An application (new or renewal) for registration (利用登録), decided by a manager. */
export const registrations = sqliteTable('registrations', {
  id: integer('id').primaryKey(),
  groupId: integer('group_id').notNull().references(() => groups.id),
  kind: text('kind', { enum: ['new', 'renewal'] }).notNull(),
  status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull(),
  channel: text('channel', { enum: ['online', 'desk'] }).notNull(),
  memberCount: integer('member_count').notNull(),
  fields: text('fields').notNull(),
  description: text('description').notNull(),
  publicProfile: integer('public_profile', { mode: 'boolean' }).notNull(),
  attestedAt: text('attested_at').notNull(),
  submittedBy: integer('submitted_by').references(() => accounts.id),
  submittedAt: text('submitted_at').notNull(),
  decidedBy: integer('decided_by').references(() => accounts.id),
  decidedAt: text('decided_at'),
  reason: text('reason'),
  validUntil: text('valid_until'),
}, (t) => [index('registrations_status').on(t.status, t.submittedAt), index('registrations_group').on(t.groupId)]);

/** A representative's invitation for a member to join the group; the token is stored hashed. */
export const groupInvitations = sqliteTable('group_invitations', {
  id: integer('id').primaryKey(),
  groupId: integer('group_id').notNull().references(() => groups.id),
  tokenHash: text('token_hash').notNull().unique(),
  email: text('email').notNull(),
  createdBy: integer('created_by').notNull().references(() => accounts.id),
  createdAt: createdAt(),
  expiresAt: text('expires_at').notNull(),
  acceptedBy: integer('accepted_by').references(() => accounts.id),
  revokedAt: text('revoked_at'),
});

export const accounts = sqliteTable('accounts', {
  id: integer('id').primaryKey(),
  role: text('role', { enum: ['individual', 'member', 'staff', 'manager'] }).notNull(),
  name: text('name').notNull(),
  email: text('email').unique(),
  phone: text('phone'),
  passwordHash: text('password_hash'),
  groupId: integer('group_id').references(() => groups.id),
  isRepresentative: integer('is_representative', { mode: 'boolean' }).notNull().default(false),
  disabledAt: text('disabled_at'),
  createdAt: createdAt(),
});

/** Login sessions live in SQLite so logout and disabling an account revoke them. The id is a hash of the cookie's token. */
export const sessions = sqliteTable('sessions', {
  id: text('id').primaryKey(),
  accountId: integer('account_id').notNull().references(() => accounts.id),
  createdAt: createdAt(),
  expiresAt: text('expires_at').notNull(),
}, (t) => [index('sessions_account').on(t.accountId)]);

export const apiTokens = sqliteTable('api_tokens', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  accountId: integer('account_id').notNull().references(() => accounts.id),
  createdAt: createdAt(),
  revokedAt: text('revoked_at'),
});

/** A recurring series as asked for; its occurrences are ordinary bookings pointing here. */
export const bookingSeries = sqliteTable('booking_series', {
  id: integer('id').primaryKey(),
  rrule: text('rrule').notNull(),
  spaceId: integer('space_id').notNull().references(() => spaces.id),
  firstStartAt: text('first_start_at').notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  skippedJson: text('skipped_json').notNull().default('[]'),
  createdBy: integer('created_by').references(() => accounts.id),
  createdAt: createdAt(),
});

export const bookings = sqliteTable('bookings', {
  id: integer('id').primaryKey(),
  spaceId: integer('space_id').notNull().references(() => spaces.id),
  startAt: text('start_at').notNull(),
  endAt: text('end_at').notNull(),
  /** The Tokyo date of use, for listings, windows and quotas. */
  useDate: text('use_date').notNull(),
  category: text('category', { enum: ['registered', 'general', 'commercial'] }).notNull(),
  rateKind: text('rate_kind', { enum: ['registered', 'general', 'admission', 'commercial'] }).notNull(),
  channel: text('channel', { enum: ['desk', 'online'] }).notNull(),
  status: text('status', { enum: ['provisional', 'confirmed', 'cancelled', 'expired'] }).notNull(),
  paymentStatus: text('payment_status', { enum: ['unpaid', 'paid', 'refunded', 'exempt'] }).notNull(),
  attendance: text('attendance', { enum: ['expected', 'checked_in', 'no_show'] }).notNull().default('expected'),
  needsContact: integer('needs_contact', { mode: 'boolean' }).notNull().default(false),
  purpose: text('purpose').notNull(),
  attendees: integer('attendees').notNull(),
  actualAttendees: integer('actual_attendees'),
  commercial: integer('commercial', { mode: 'boolean' }).notNull().default(false),
  admissionFeeYen: integer('admission_fee_yen').notNull().default(0),
  totalYen: integer('total_yen').notNull(),
  linesJson: text('lines_json').notNull(),
  /** What the fee was computed from (rates, rules, rate kind), so an exemption or a re-quote never picks up a later fee table. */
  pricingJson: text('pricing_json').notNull(),
  exemptionPercent: integer('exemption_percent').notNull().default(0),
  exemptionReason: text('exemption_reason'),
  deadlineAt: text('deadline_at'),
  /** Who the booking is for: an account (individual, or the member of a group), a group, or a walk-in. */
  accountId: integer('account_id').references(() => accounts.id),
  groupId: integer('group_id').references(() => groups.id),
  walkInName: text('walk_in_name'),
  walkInPhone: text('walk_in_phone'),
  /** Who pressed the button: the member, the individual or the clerk. */
  madeBy: integer('made_by').references(() => accounts.id),
  seriesId: integer('series_id').references(() => bookingSeries.id),
  overrideReason: text('override_reason'),
  changeCount: integer('change_count').notNull().default(0),
  permitNo: text('permit_no').unique(),
  cancelledAt: text('cancelled_at'),
  cancellationFeeYen: integer('cancellation_fee_yen'),
  cancelReason: text('cancel_reason'),
  facilityCaused: integer('facility_caused', { mode: 'boolean' }).notNull().default(false),
  /** Bumped on every change (iCal SEQUENCE). */
  revision: integer('revision').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: text('updated_at').notNull(),
}, (t) => [
  index('bookings_space_start').on(t.spaceId, t.startAt),
  index('bookings_use_date').on(t.useDate),
  index('bookings_account').on(t.accountId),
  index('bookings_group').on(t.groupId),
  index('bookings_provisional').on(t.status, t.deadlineAt),
  check('bookings_interval', sql`${t.endAt} > ${t.startAt}`),
  check('bookings_total', sql`${t.totalYen} >= 0 AND ${t.totalYen} % 10 = 0`),
  check('bookings_attendees', sql`${t.attendees} >= 1`),
  check('bookings_admission', sql`${t.admissionFeeYen} >= 0`),
  check('bookings_exemption', sql`${t.exemptionPercent} IN (0, 50, 100)`),
  check('bookings_booker', sql`${t.accountId} IS NOT NULL OR ${t.groupId} IS NOT NULL OR ${t.walkInName} IS NOT NULL`),
]);

/** Money that moved at the desk: a payment, a refund, or the void of an earlier payment. */
export const payments = sqliteTable('payments', {
  id: integer('id').primaryKey(),
  bookingId: integer('booking_id').notNull().references(() => bookings.id),
  receiptNo: text('receipt_no').notNull().unique(),
  kind: text('kind', { enum: ['payment', 'refund', 'void'] }).notNull(),
  amountYen: integer('amount_yen').notNull(),
  method: text('method', { enum: ['cash'] }).notNull(),
  note: text('note'),
  /** For a void: the payment it cancels out (a void carries that payment's amount and a reason in `note`). */
  voidsPaymentId: integer('voids_payment_id'),
  receivedBy: integer('received_by').references(() => accounts.id),
  createdAt: createdAt(),
}, (t) => [index('payments_booking').on(t.bookingId), index('payments_created').on(t.createdAt), check('payments_amount', sql`${t.amountYen} > 0`)]);

/** Every state change: who, when, what. */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey(),
  at: text('at').notNull(),
  actorId: integer('actor_id').references(() => accounts.id),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id'),
  detailJson: text('detail_json').notNull().default('{}'),
}, (t) => [index('audit_log_at').on(t.at), index('audit_log_entity').on(t.entity, t.entityId)]);

/** お知らせ: a manager's notice shown on the home page from `publishFrom` until `publishUntil`. */
export const notices = sqliteTable('notices', {
  id: integer('id').primaryKey(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  publishFrom: text('publish_from').notNull(),
  publishUntil: text('publish_until'),
  createdBy: integer('created_by').references(() => accounts.id),
  createdAt: createdAt(),
  removedAt: text('removed_at'),
}, (t) => [index('notices_publish').on(t.publishFrom), check('notices_period', sql`${t.publishUntil} IS NULL OR ${t.publishUntil} > ${t.publishFrom}`)]);

/** 意見箱: an opinion from anyone. No IP address or other identifier is stored with it. */
export const opinions = sqliteTable('opinions', {
  id: integer('id').primaryKey(),
  receiptNo: text('receipt_no').notNull().unique(),
  category: text('category', { enum: ['facility', 'booking', 'staff', 'events', 'other'] }).notNull(),
  body: text('body').notNull(),
  contactName: text('contact_name'),
  contactEmail: text('contact_email'),
  contactPhone: text('contact_phone'),
  status: text('status', { enum: ['new', 'in_review', 'answered', 'closed'] }).notNull().default('new'),
  answerDraft: text('answer_draft'),
  answer: text('answer'),
  /** The opinion as published (personal data removed), when a manager chose to publish it. */
  publishedBody: text('published_body'),
  publishedAt: text('published_at'),
  answeredBy: integer('answered_by').references(() => accounts.id),
  createdAt: createdAt(),
  contactDeletedAt: text('contact_deleted_at'),
}, (t) => [index('opinions_status').on(t.status, t.createdAt), index('opinions_published').on(t.publishedAt)]);

/** アンケート: a short survey open for a period, answered anonymously through its link. */
export const surveys = sqliteTable('surveys', {
  id: integer('id').primaryKey(),
  /** The unguessable part of the survey's public link. */
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  opensAt: text('opens_at').notNull(),
  closesAt: text('closes_at').notNull(),
  createdBy: integer('created_by').references(() => accounts.id),
  createdAt: createdAt(),
}, (t) => [check('surveys_period', sql`${t.closesAt} > ${t.opensAt}`)]);

export const surveyQuestions = sqliteTable('survey_questions', {
  id: integer('id').primaryKey(),
  surveyId: integer('survey_id').notNull().references(() => surveys.id),
  position: integer('position').notNull(),
  kind: text('kind', { enum: ['rating', 'single', 'multiple', 'text'] }).notNull(),
  prompt: text('prompt').notNull(),
  optionsJson: text('options_json').notNull().default('[]'),
  required: integer('required', { mode: 'boolean' }).notNull().default(false),
}, (t) => [uniqueIndex('survey_questions_position').on(t.surveyId, t.position)]);

export const surveyResponses = sqliteTable('survey_responses', {
  id: integer('id').primaryKey(),
  surveyId: integer('survey_id').notNull().references(() => surveys.id),
  submittedAt: text('submitted_at').notNull(),
}, (t) => [index('survey_responses_survey').on(t.surveyId, t.submittedAt)]);

export const surveyAnswers = sqliteTable('survey_answers', {
  id: integer('id').primaryKey(),
  responseId: integer('response_id').notNull().references(() => surveyResponses.id),
  questionId: integer('question_id').notNull().references(() => surveyQuestions.id),
  rating: integer('rating'),
  choicesJson: text('choices_json'),
  text: text('text'),
}, (t) => [index('survey_answers_question').on(t.questionId), check('survey_answers_rating', sql`${t.rating} IS NULL OR ${t.rating} BETWEEN 1 AND 5`)]);

/** An equipment type the center lends (DESIGN.md, Equipment loans): a per-use fee and what one unit costs to replace. */
export const equipmentTypes = sqliteTable('equipment_types', {
  id: integer('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  feeYen: integer('fee_yen').notNull(),
  replacementYen: integer('replacement_yen').notNull(),
  /** Only lent with a booking of the hall (piano, stage set). */
  hallOnly: integer('hall_only', { mode: 'boolean' }).notNull().default(false),
  /** Prefix of the asset tags of this type's units ("PJ" → PJ-01). */
  tagPrefix: text('tag_prefix').notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
}, (t) => [
  check('equipment_types_fee', sql`${t.feeYen} >= 0`),
  check('equipment_types_replacement', sql`${t.replacementYen} >= 0`),
]);

/**
 * One tagged unit. Available and on-loan units are the pool that loans are counted against; a unit
 * in repair, lost or retired is out of it until a manager returns it.
 */
export const equipmentUnits = sqliteTable('equipment_units', {
  id: integer('id').primaryKey(),
  typeId: integer('type_id').notNull().references(() => equipmentTypes.id),
  tag: text('tag').notNull().unique(),
  state: text('state', { enum: ['available', 'on_loan', 'in_repair', 'lost', 'retired'] }).notNull(),
  note: text('note'),
  createdAt: createdAt(),
  updatedAt: text('updated_at').notNull(),
}, (t) => [index('equipment_units_type').on(t.typeId, t.state)]);

/**
 * A reservation of equipment for an interval: with a booking (same interval, made in the same
 * transaction) or a take-out of at most 7 days by a registered group. Quantities are per type in
 * `loan_items`; the tagged units are chosen at check-out (`loan_units`).
 */
export const loans = sqliteTable('loans', {
  id: integer('id').primaryKey(),
  kind: text('kind', { enum: ['booking', 'takeout'] }).notNull(),
  bookingId: integer('booking_id').references(() => bookings.id),
  /** The borrower: a group, an individual account, or (a walk-in's booking) neither. */
  groupId: integer('group_id').references(() => groups.id),
  accountId: integer('account_id').references(() => accounts.id),
  startAt: text('start_at').notNull(),
  endAt: text('end_at').notNull(),
  status: text('status', { enum: ['reserved', 'checked_out', 'returned', 'cancelled'] }).notNull(),
  /** Set when a damaged or lost unit leaves the pool and this future loan can no longer be covered in full. */
  needsAttention: text('needs_attention'),
  checkedOutAt: text('checked_out_at'),
  checkedOutBy: integer('checked_out_by').references(() => accounts.id),
  /** The person who took the units away (a name written at the desk). */
  pickedUpBy: text('picked_up_by'),
  returnedAt: text('returned_at'),
  returnedBy: integer('returned_by').references(() => accounts.id),
  cancelledAt: text('cancelled_at'),
  madeBy: integer('made_by').references(() => accounts.id),
  createdAt: createdAt(),
  updatedAt: text('updated_at').notNull(),
}, (t) => [
  index('loans_start').on(t.startAt),
  index('loans_booking').on(t.bookingId),
  index('loans_group').on(t.groupId),
  index('loans_status').on(t.status, t.endAt),
  check('loans_interval', sql`${t.endAt} > ${t.startAt}`),
  check('loans_booking_kind', sql`(${t.kind} = 'booking') = (${t.bookingId} IS NOT NULL)`),
]);

export const loanItems = sqliteTable('loan_items', {
  loanId: integer('loan_id').notNull().references(() => loans.id),
  typeId: integer('type_id').notNull().references(() => equipmentTypes.id),
  quantity: integer('quantity').notNull(),
}, (t) => [primaryKey({ columns: [t.loanId, t.typeId] }), index('loan_items_type').on(t.typeId), check('loan_items_quantity', sql`${t.quantity} >= 1`)]);

/** The units handed out on a loan, and how each came back. */
export const loanUnits = sqliteTable('loan_units', {
  loanId: integer('loan_id').notNull().references(() => loans.id),
  unitId: integer('unit_id').notNull().references(() => equipmentUnits.id),
  checkedOutAt: text('checked_out_at').notNull(),
  returnedAt: text('returned_at'),
  condition: text('condition', { enum: ['ok', 'damaged', 'lost'] }),
  note: text('note'),
}, (t) => [primaryKey({ columns: [t.loanId, t.unitId] }), index('loan_units_unit').on(t.unitId)]);

/**
 * A damaged or lost unit's case. open → invoiced (assessed, borrower liable) → settled | waived;
 * open → not_liable (normal wear, force majeure); open → waived. While open or invoiced the
 * borrower cannot borrow.
 */
export const damageCases = sqliteTable('damage_cases', {
  id: integer('id').primaryKey(),
  unitId: integer('unit_id').notNull().references(() => equipmentUnits.id),
  loanId: integer('loan_id').notNull().references(() => loans.id),
  groupId: integer('group_id').references(() => groups.id),
  accountId: integer('account_id').references(() => accounts.id),
  kind: text('kind', { enum: ['damaged', 'lost'] }).notNull(),
  status: text('status', { enum: ['open', 'invoiced', 'not_liable', 'settled', 'waived'] }).notNull(),
  reportNote: text('report_note'),
  costYen: integer('cost_yen'),
  liable: integer('liable', { mode: 'boolean' }),
  assessmentNote: text('assessment_note'),
  invoiceNo: text('invoice_no').unique(),
  waiveReason: text('waive_reason'),
  openedAt: text('opened_at').notNull(),
  openedBy: integer('opened_by').references(() => accounts.id),
  assessedAt: text('assessed_at'),
  assessedBy: integer('assessed_by').references(() => accounts.id),
  closedAt: text('closed_at'),
  closedBy: integer('closed_by').references(() => accounts.id),
}, (t) => [
  index('damage_cases_group').on(t.groupId, t.status),
  index('damage_cases_account').on(t.accountId, t.status),
  index('damage_cases_status').on(t.status, t.openedAt),
  check('damage_cases_cost', sql`${t.costYen} IS NULL OR ${t.costYen} >= 0`),
]);
