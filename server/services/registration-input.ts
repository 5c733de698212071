import { z } from 'zod';
import { text, longText } from './validate.js';

export const GROUP_TYPES = ['npo', 'volunteer', 'neighborhood-association', 'district-committee', 'other'] as const;

const mustBeTrue = (what: string) => z.literal(true, { error: `you must confirm that the group's purpose is ${what}` });

/** Activity fields: a list, or one string separated by 、 or commas. */
const Fields = z.union([
  z.array(text(30)).max(10),
  z.string().max(300).transform((s) => s.split(/[、,，]/).map((f) => f.trim()).filter(Boolean)),
]).pipe(z.array(text(30)).min(1, 'name at least one activity field').max(10, 'at most 10 activity fields'));

export const Attestations = z.object({
  nonPolitical: mustBeTrue('non-political'),
  nonReligious: mustBeTrue('non-religious'),
  nonCommercial: mustBeTrue('non-commercial'),
}).strict();

const Kana = text(100).refine((s) => /^[\u3040-\u309F\u30A0-\u30FF\u3000\s・ー－A-Za-z0-9０-９Ａ-Ｚａ-ｚ]+$/.test(s), 'kana (ひらがな or カタカナ)');
const Phone = z.string().trim().regex(/^[0-9+\-() ]{6,20}$/, 'phone number');
const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());

export const Profile = {
  memberCount: z.number().int().min(1, 'at least 1 member').max(100_000),
  fields: Fields,
  description: longText(1000, 0).default(''),
  publicProfile: z.boolean().default(false),
  attestations: Attestations,
};

/** An application online: the representative's e-mail and password are required (they log in to follow it). */
export const RegistrationInput = z.object({
  name: text(100),
  kana: Kana,
  type: z.enum(GROUP_TYPES),
  representative: z.object({ name: text(100), email: Email, password: z.string().min(10).max(1024), phone: Phone }).strict(),
  ...Profile,
}).strict();

/** At the desk the e-mail (and so the login) may be left out: such a group books through the desk. */
export const DeskRegistrationInput = RegistrationInput.extend({
  representative: z.object({ name: text(100), email: Email.optional(), password: z.string().min(10).max(1024).optional(), phone: Phone }).strict()
    .refine((r) => (r.email === undefined) === (r.password === undefined), { message: 'give both e-mail and password, or neither', path: ['password'] }),
});

export const RenewalInput = z.object(Profile).strict();
export const ReasonInput = z.object({ reason: text(500) }).strict();
export const InvitationInput = z.object({ email: Email }).strict();
export const AcceptInput = z.object({ name: text(100), password: z.string().min(10).max(1024), phone: Phone.optional() }).strict();
export const RetentionInput = z.object({ retentionDays: z.number().int().min(30).max(3650) }).strict();
