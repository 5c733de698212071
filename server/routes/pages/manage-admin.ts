import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { addDays, tokyoDate } from '../../domain/time.js';
import { ConflictError, ProblemError, ValidationError, type FieldError } from '../../errors.js';
import { formatters, translator, type MessageKey, type Translate } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import { EFFECTIVE_FROM_MESSAGES, RULE_KEYS, effectiveFromOf, type RuleKey } from '../../services/rules.js';
import type { Actor } from '../../services/context.js';
import { pathId } from './access.js';
import { managerOnly, yenOrCount } from './desk-access.js';
import { FORM_ERROR, fieldMessage, formErrors, formValues, seeOther, type FieldLabels, type FormErrors } from './forms.js';

type Values = Record<string, string>;

const RATE_FIELDS = ['space', 'band', 'hourlyYen', 'effectiveFrom'] as const;
const RATE_LABELS: FieldLabels = { space: 'manage.rates.space', band: 'manage.rates.band', hourlyYen: 'manage.rates.hourlyYen', effectiveFrom: 'manage.rates.effectiveFrom' };
const STAFF_FIELDS = ['name', 'email', 'phone', 'role'] as const;
const STAFF_LABELS: FieldLabels = { name: 'manage.staff.name', email: 'manage.staff.email', phone: 'manage.staff.phone', password: 'manage.staff.password', role: 'manage.staff.role' };
const AUDIT_FIELDS = ['actor', 'action', 'entity', 'entityId', 'from', 'to'] as const;
const AUDIT_LABELS: FieldLabels = { actor: 'manage.audit.actor', action: 'manage.audit.action', entity: 'manage.audit.entity', entityId: 'manage.audit.entityId', from: 'manage.audit.from', to: 'manage.audit.to', page: 'manage.audit.page' };

/** A refusal that the console shows about the whole page (409 and the like); input errors are the pages' own. */
function pageRefusal(error: unknown, t: Translate): { errors: FormErrors; status: number } {
  if (!(error instanceof ProblemError) || error.status >= 500 || error.code === 'unauthenticated' || error.code === 'forbidden') throw error;
  return { errors: { [FORM_ERROR]: t(`problem.${error.code}`) }, status: error.status };
}

/**
 * The manager's console, continued: rates from a date, staff accounts, API tokens, the audit log
 * and the rules as data, each section from a date.
 */
const manageAdminPages: FastifyPluginAsync = async (app) => {
  const { admin, auth, spaces, rules } = app.services;

  // ---- rates from a date ----------------------------------------------------------------------

  function renderRates(request: FastifyRequest, reply: FastifyReply, actor: Actor, values: Values, errors: FormErrors = {}, status = 200) {
    const today = tokyoDate(app.clock());
    return reply.page('manage/rates', {
      rates: admin.rates(actor), values, errors, today, tomorrow: addDays(today, 1),
      spaceOptions: spaces.list().map((s) => ({ value: s.slug, label: request.lang === 'en' ? s.nameEn : s.name })),
    }, status);
  }

  app.get('/manage/rates', async (request, reply) => {
    const actor = await managerOnly(request, reply);
    if (!actor) return reply;
    return renderRates(request, reply, actor, {});
  });

  app.post('/manage/rates', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/rates');
    if (!actor) return reply;
    const values = formValues(request.body, RATE_FIELDS);
    const t = translator(request.lang);
    const yen = yenOrCount(values.hourlyYen);
    try {
      admin.scheduleRate(actor, {
        space: values.space ?? '', band: values.band ?? '', hourlyYen: yen ?? -1, effectiveFrom: values.effectiveFrom?.trim() ?? '',
      });
      return seeOther(reply, '/manage/rates', 'flash.rateScheduled');
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors: FormErrors = {};
        for (const e of error.errors) {
          const label = RATE_LABELS[e.path];
          if (!label) { errors[FORM_ERROR] ??= t('problem.validation_failed'); continue; }
          const message = e.path === 'effectiveFrom' && e.message === 'a date after today' ? t('manage.rates.error.future', { label: t(label) })
            : e.path === 'effectiveFrom' ? t('validation.date', { label: t(label) })
              : e.path === 'hourlyYen' ? t('manage.rates.error.yen', { label: t(label) })
                : t('desk.error.choose', { label: t(label) });
          errors[e.path] ??= message;
        }
        return renderRates(request, reply, actor, values, errors, 422);
      }
      const { errors, status } = pageRefusal(error, t);
      return renderRates(request, reply, actor, values, errors, status);
    }
  });

  app.post<{ Params: { id: string } }>('/manage/rates/:id/withdraw', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/rates');
    if (!actor) return reply;
    try {
      admin.removeScheduledRate(actor, pathId(request.params.id));
      return seeOther(reply, '/manage/rates', 'flash.rateWithdrawn');
    } catch (error) {
      const { errors, status } = pageRefusal(error, translator(request.lang));
      return renderRates(request, reply, actor, {}, errors, status);
    }
  });

  // ---- staff accounts -------------------------------------------------------------------------

  function renderStaff(reply: FastifyReply, actor: Actor, values: Values, errors: FormErrors = {}, status = 200) {
    return reply.page('manage/staff', { staff: admin.staff(actor), values: { role: 'staff', ...values }, errors }, status);
  }

  app.get('/manage/staff', async (request, reply) => {
    const actor = await managerOnly(request, reply);
    if (!actor) return reply;
    return renderStaff(reply, actor, {});
  });

  app.post('/manage/staff', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/staff');
    if (!actor) return reply;
    const values = formValues(request.body, STAFF_FIELDS);
    const password = formValues(request.body, ['password']).password ?? '';
    const t = translator(request.lang);
    try {
      await auth.createStaff(actor, { ...values, role: values.role === 'manager' ? 'manager' : 'staff', password });
      return seeOther(reply, '/manage/staff', 'flash.staffCreated');
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors = formErrors(error, t, STAFF_LABELS);
        for (const e of error.errors) {
          if (e.path === 'email' && /already registered/.test(e.message)) errors.email = t('manage.staff.error.emailTaken');
          if (e.path === 'password' && /10/.test(e.message)) errors.password = t('validation.tooShort', { label: t('manage.staff.password'), min: 10 });
        }
        return renderStaff(reply, actor, values, errors, 422);
      }
      const { errors, status } = pageRefusal(error, t);
      return renderStaff(reply, actor, values, errors, status);
    }
  });

  for (const action of ['disable', 'enable'] as const) {
    app.post<{ Params: { id: string } }>(`/manage/staff/:id/${action}`, { preHandler: verifyCsrf }, async (request, reply) => {
      const actor = await managerOnly(request, reply, '/manage/staff');
      if (!actor) return reply;
      const id = pathId(request.params.id);
      try {
        if (action === 'disable') admin.disableStaff(actor, id);
        else admin.enableStaff(actor, id);
        return seeOther(reply, '/manage/staff', action === 'disable' ? 'flash.staffDisabled' : 'flash.staffEnabled');
      } catch (error) {
        const t = translator(request.lang);
        if (error instanceof ProblemError && error.code === 'invalid_state' && /your own/.test(error.detail)) {
          return renderStaff(reply, actor, {}, { [FORM_ERROR]: t('manage.staff.error.self') }, 409);
        }
        const { errors, status } = pageRefusal(error, t);
        return renderStaff(reply, actor, {}, errors, status);
      }
    });
  }

  // ---- API tokens -------------------------------------------------------------------------------

  function renderTokens(reply: FastifyReply, actor: Actor, extra: { values?: Values; errors?: FormErrors; issued?: { name: string; token: string } } = {}, status = 200) {
    return reply.page('manage/tokens', { tokens: admin.apiTokens(actor), values: extra.values ?? {}, errors: extra.errors ?? {}, issued: extra.issued ?? null }, status);
  }

  app.get('/manage/tokens', async (request, reply) => {
    const actor = await managerOnly(request, reply);
    if (!actor) return reply;
    return renderTokens(reply, actor);
  });

  /** The token is shown once, on this very answer: it is never stored in the clear, so no later page can show it. */
  app.post('/manage/tokens', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/tokens');
    if (!actor) return reply;
    const values = formValues(request.body, ['name']);
    const t = translator(request.lang);
    try {
      const { token } = auth.issueApiToken(actor, { name: values.name ?? '' });
      return renderTokens(reply, actor, { issued: { name: values.name!.trim(), token } });
    } catch (error) {
      if (error instanceof ValidationError) return renderTokens(reply, actor, { values, errors: formErrors(error, t, { name: 'manage.tokens.name' }) }, 422);
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>('/manage/tokens/:id/revoke', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/tokens');
    if (!actor) return reply;
    try {
      admin.revokeApiToken(actor, pathId(request.params.id));
      return seeOther(reply, '/manage/tokens', 'flash.tokenRevoked');
    } catch (error) {
      const { errors, status } = pageRefusal(error, translator(request.lang));
      return renderTokens(reply, actor, { errors }, status);
    }
  });

  // ---- the audit log --------------------------------------------------------------------------

  app.get('/manage/audit', async (request, reply) => {
    const actor = await managerOnly(request, reply);
    if (!actor) return reply;
    const values = formValues(request.query, AUDIT_FIELDS);
    const page = formValues(request.query, ['page']).page;
    try {
      const log = admin.audit(actor, { ...values, ...(page ? { page } : {}) });
      const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v.trim() !== '')).toString();
      return reply.page('manage/audit', { log, values, query });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const t = translator(request.lang);
      const errors: FormErrors = {};
      for (const e of error.errors) {
        const label = AUDIT_LABELS[e.path];
        if (!label) errors[FORM_ERROR] ??= t('problem.validation_failed');
        else if (e.message === 'from must not be after to') errors.to ??= t('manage.audit.error.range');
        else errors[e.path] ??= fieldMessage(e, t(label), t);
      }
      return reply.page('manage/audit', { log: null, values, query: '', errors }, 422);
    }
  });

  // ---- the rules as data, each section from a date ------------------------------------------------

  /** A rules form's date field: `<section>-effectiveFrom` in values, errors and the input's id. */
  const dateField = (key: string) => `${key}-effectiveFrom`;

  function renderRules(reply: FastifyReply, actor: Actor, extra: { values?: Values; errors?: FormErrors } = {}, status = 200) {
    const list = rules.list(actor);
    const today = tokyoDate(app.clock());
    const values: Values = Object.fromEntries(list.flatMap((r) => [[r.key, JSON.stringify(r.value, null, 2)], [dateField(r.key), today]]));
    return reply.page('manage/rules', {
      rules: list.map((r) => ({ ...r, scheduled: r.scheduled.map((v) => ({ ...v, json: JSON.stringify(v.value, null, 2) })) })),
      values: { ...values, ...extra.values }, errors: extra.errors ?? {}, today,
    }, status);
  }

  app.get('/manage/rules', async (request, reply) => {
    const actor = await managerOnly(request, reply);
    if (!actor) return reply;
    return renderRules(reply, actor);
  });

  app.post<{ Params: { key: string } }>('/manage/rules/:key', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/rules');
    if (!actor) return reply;
    const key = request.params.key;
    if (!(RULE_KEYS as string[]).includes(key)) return reply.callNotFound();
    const form = formValues(request.body, ['value', 'effectiveFrom']);
    const text = form.value ?? '';
    const effectiveFrom = form.effectiveFrom?.trim() ?? '';
    const values: Values = { [key]: text, [dateField(key)]: effectiveFrom };
    const t = translator(request.lang);
    const f = formatters(request.lang);
    const label = t(`manage.rules.section.${key as RuleKey}` as MessageKey);
    const dateLabel = t('manage.rules.effectiveFrom');
    const today = tokyoDate(app.clock());
    const dateMessage = (e: FieldError) => (e.message === EFFECTIVE_FROM_MESSAGES.past
      ? t('manage.rules.error.past', { label: dateLabel, date: f.date(today) })
      : t('validation.date', { label: dateLabel }));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // The date is still checked, so both mistakes are told at once.
      const errors: FormErrors = { [key]: t('manage.rules.error.json', { label }) };
      const dateErrors: FieldError[] = [];
      effectiveFromOf(effectiveFrom, today, dateErrors);
      if (dateErrors[0]) errors[dateField(key)] = dateMessage(dateErrors[0]);
      return renderRules(reply, actor, { values, errors }, 422);
    }
    try {
      const body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ...parsed, effectiveFrom } : parsed;
      const saved = rules.set(actor, key, body);
      return seeOther(reply, '/manage/rules', saved.effectiveFrom > today ? 'flash.rulesScheduled' : 'flash.rulesSaved');
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors: FormErrors = {};
        const paths = [...new Set(error.errors.filter((e) => e.path !== 'effectiveFrom').map((e) => e.path))].join(', ');
        if (paths !== '') errors[key] = t('manage.rules.error.invalid', { label, paths });
        const dateError = error.errors.find((e) => e.path === 'effectiveFrom');
        if (dateError) errors[dateField(key)] = dateMessage(dateError);
        return renderRules(reply, actor, { values, errors }, 422);
      }
      if (error instanceof ConflictError) {
        const n = (error.extra.conflicts as unknown[]).length;
        return renderRules(reply, actor, { values, errors: { [key]: t('manage.rules.error.stranded', { label, n }) } }, 409);
      }
      throw error;
    }
  });

  app.post<{ Params: { key: string; date: string } }>('/manage/rules/:key/versions/:date/withdraw', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/rules');
    if (!actor) return reply;
    try {
      rules.withdraw(actor, request.params.key, request.params.date);
      return seeOther(reply, '/manage/rules', 'flash.rulesWithdrawn');
    } catch (error) {
      const { errors, status } = pageRefusal(error, translator(request.lang));
      return renderRules(reply, actor, { errors }, status);
    }
  });
};

export default manageAdminPages;
