import { z } from 'zod';
import { isDate } from '../domain/time.js';
import { longText, text } from './validate.js';

const instant = z.string().max(40);

export const UseInput = z.object({
  commercial: z.boolean().default(false),
  admissionFeeYen: z.number().int().min(0).max(1_000_000).default(0),
}).strict();

export const BookingInput = z.object({
  space: z.string().min(1).max(50),
  start: instant,
  end: instant,
  purpose: longText(200),
  attendees: z.number().int().min(1).max(10_000),
  use: UseInput.default({ commercial: false, admissionFeeYen: 0 }),
  equipment: z.array(z.object({ type: z.string().max(50), quantity: z.number().int() }).strict()).max(20).default([]),
  recurrence: z.object({ rrule: z.string().min(1).max(500) }).strict().optional(),
  groupId: z.number().int().positive().optional(),
  accountId: z.number().int().positive().optional(),
  walkIn: z.object({ name: text(100), phone: z.string().trim().regex(/^[0-9+\-() ]{6,20}$/, 'phone number').optional() }).strict().optional(),
  overrideReason: text(500).optional(),
  exemption: z.object({ percent: z.union([z.literal(50), z.literal(100)]), reason: text(500) }).strict().optional(),
}).strict();
export type BookingInput = z.infer<typeof BookingInput>;

export const ChangeInput = z.object({
  space: z.string().min(1).max(50).optional(),
  start: instant.optional(),
  end: instant.optional(),
  attendees: z.number().int().min(1).max(10_000).optional(),
  purpose: longText(200).optional(),
  overrideReason: text(500).optional(),
}).strict().refine((v) => Object.keys(v).some((k) => k !== 'overrideReason'), 'nothing to change');

export const CancelInput = z.object({
  reason: longText(500).optional(),
  facilityCaused: z.boolean().default(false),
}).strict();

export const ExemptionInput = z.object({ percent: z.union([z.literal(50), z.literal(100)]), reason: text(500) }).strict();

export const PaymentInput = z.object({
  amountYen: z.number().int().positive().max(100_000_000),
  method: z.literal('cash'),
}).strict();

export const CheckInInput = z.object({ attendees: z.number().int().min(0).max(10_000) }).strict();

const date = z.string().refine(isDate, 'a real date as YYYY-MM-DD');
export const ListQuery = z.object({ from: date, to: date, space: z.string().max(50).optional() })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] });
