import type { FastifyReply } from 'fastify';
import { ValidationError, type FieldError } from '../../errors.js';
import { translator, type MessageKey, type Translate } from '../../i18n/index.js';
import { FORM_ERROR, formErrors, renderFormError, type FieldLabels, type FormErrors, type FormFailureOptions } from './forms.js';

/**
 * The registration forms (application, renewal, invitation, joining) as HTML sees them: flat
 * fields named after the paths the services report (`representative.email`,
 * `attestations.nonPolitical`), so that a service's error lands next to its field.
 */

type Body = Record<string, unknown>;

const ATTESTATIONS = ['nonPolitical', 'nonReligious', 'nonCommercial'] as const;

/** A checkbox's value: the forms send `true` for a ticked box and nothing for an empty one. */
const CHECKED = 'true';

function asBody(body: unknown): Body {
  return typeof body === 'object' && body !== null ? (body as Body) : {};
}

/** A text field as sent; a repeated field (an array) is not a text and counts as missing. */
function text(body: Body, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}

/** A field that may be left out: blank is "not given", so the service says "required" or skips it. */
function optional(body: Body, name: string): string | undefined {
  const value = text(body, name);
  return value === undefined || value.trim() === '' ? undefined : value;
}

function checked(body: Body, name: string): boolean {
  return text(body, name) === CHECKED;
}

/** A count typed by a person: full-width digits and spaces are fine; anything else goes on as text for the service to refuse. */
function count(body: Body, name: string): number | string | undefined {
  const raw = optional(body, name);
  if (raw === undefined) return undefined;
  const normalized = raw.normalize('NFKC').trim().replace(/,/g, '');
  return /^\d{1,9}$/.test(normalized) ? Number(normalized) : normalized;
}

/** What a group says about itself, in an application and in a renewal (RenewalInput). */
export function profileBody(form: unknown) {
  const body = asBody(form);
  return {
    memberCount: count(body, 'memberCount'),
    fields: text(body, 'fields') ?? '',
    description: text(body, 'description') ?? '',
    publicProfile: checked(body, 'publicProfile'),
    attestations: Object.fromEntries(ATTESTATIONS.map((a) => [a, checked(body, `attestations.${a}`)])),
  };
}

/** The application form as the body `registrations.apply` reads (RegistrationInput). */
export function applicationBody(form: unknown) {
  const body = asBody(form);
  return {
    name: text(body, 'name'),
    kana: text(body, 'kana'),
    type: optional(body, 'type'),
    representative: {
      name: text(body, 'representative.name'),
      email: optional(body, 'representative.email'),
      // Never trimmed: spaces may be part of a password.
      password: text(body, 'representative.password') || undefined,
      phone: optional(body, 'representative.phone'),
    },
    ...profileBody(body),
  };
}

/** The joining form as the body `groups.acceptInvitation` reads (AcceptInput). */
export function acceptBody(form: unknown) {
  const body = asBody(form);
  return { name: text(body, 'name'), password: text(body, 'password') || undefined, phone: optional(body, 'phone') };
}

/** Fields whose text is shown again after an error (never a password). */
export const PROFILE_VALUES = ['memberCount', 'fields', 'description', 'publicProfile', ...ATTESTATIONS.map((a) => `attestations.${a}`)];
export const APPLICATION_VALUES = ['name', 'kana', 'type', 'representative.name', 'representative.email', 'representative.phone', ...PROFILE_VALUES];

export const PROFILE_LABELS: FieldLabels = {
  memberCount: 'register.memberCount',
  fields: 'register.fields',
  description: 'register.description',
  publicProfile: 'register.publicProfile',
  'attestations.nonPolitical': 'register.attest.nonPolitical',
  'attestations.nonReligious': 'register.attest.nonReligious',
  'attestations.nonCommercial': 'register.attest.nonCommercial',
};

/** In the order the application form asks (registration/apply.eta). */
export const APPLICATION_LABELS: FieldLabels = {
  name: 'register.name',
  kana: 'register.kana',
  type: 'register.type',
  memberCount: 'register.memberCount',
  fields: 'register.fields',
  description: 'register.description',
  publicProfile: 'register.publicProfile',
  'representative.name': 'register.repName',
  'representative.email': 'register.repEmail',
  'representative.password': 'register.repPassword',
  'representative.phone': 'register.repPhone',
  ...PROFILE_LABELS,
};

export const ACCEPT_LABELS: FieldLabels = { name: 'invitation.name', password: 'invitation.password', phone: 'invitation.phone' };
export const INVITE_LABELS: FieldLabels = { email: 'myGroup.inviteEmail' };

/**
 * The registration schemas' own refusals (registration-input.ts, and the duplicates the services
 * find) in the user's words; the generic ones (required, too long, e-mail…) are forms.ts's.
 */
function ownMessage(e: FieldError): MessageKey | undefined {
  const m = e.message;
  if (e.path === 'attestations' || e.path.startsWith('attestations.')) return 'register.error.attestation';
  if (m === 'a group with this name is already registered') return 'register.error.duplicateName';
  if (m === 'this e-mail address is already registered') return 'register.error.duplicateEmail';
  if (m === 'this e-mail address already has an account') return 'register.error.emailTaken';
  if (m === 'give both e-mail and password, or neither') return 'register.error.bothOrNeither';
  if (e.path === 'kana' && m.startsWith('kana')) return 'register.error.kana';
  if (e.path === 'type' && !m.endsWith('received undefined')) return 'register.error.type';
  if (e.path === 'memberCount' && !m.endsWith('received undefined')) return 'register.error.memberCount';
  if (e.path === 'fields' && m === 'name at least one activity field') return 'register.error.fieldsNone';
  if (e.path === 'fields' && m === 'at most 10 activity fields') return 'register.error.fieldsMany';
  if (/^fields\.\d+$/.test(e.path)) return 'register.error.fieldTooLong';
  return undefined;
}

/** The field a message belongs next to: one activity field (`fields.2`) is the `fields` input. */
function fieldOf(path: string): string {
  if (/^fields\.\d+$/.test(path)) return 'fields';
  if (path === 'attestations') return 'attestations.nonPolitical';
  return path;
}

/** Messages by field for a refused registration form: our own sentences first, forms.ts's for the rest. */
export function registrationErrors(error: ValidationError, t: Translate, labels: FieldLabels): FormErrors {
  const own: FormErrors = {};
  const rest: FieldError[] = [];
  for (const e of error.errors) {
    const field = fieldOf(e.path);
    const key = ownMessage(e);
    const labelKey = labels[field];
    if (key && labelKey) own[field] ??= t(key, { label: t(labelKey) });
    else if (key) own[FORM_ERROR] ??= t(key, { label: '' });
    else rest.push({ ...e, path: field });
  }
  const generic = rest.length > 0 ? formErrors(new ValidationError(rest), t, labels) : {};
  // In the order of the form (the labels'), so the summary reads top to bottom as the page does.
  const order = [FORM_ERROR, ...Object.keys(labels)];
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  return Object.fromEntries(Object.entries({ ...generic, ...own }).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * Re-renders a registration form after a failed POST: 422 with messages by field for bad input,
 * and forms.ts's handling (the problem's status, one message) for any other refusal.
 */
export async function renderRegistrationError(reply: FastifyReply, page: string, error: unknown, options: FormFailureOptions): Promise<FastifyReply> {
  if (!(error instanceof ValidationError) || options.messages?.validation_failed) return renderFormError(reply, page, error, options);
  const errors = registrationErrors(error, translator(reply.request.lang), options.labels);
  return reply.page(page, { ...options.data, values: options.values, errors }, 422);
}
