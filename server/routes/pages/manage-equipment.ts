import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError, ValidationError } from '../../errors.js';
import { formatters, translator, type Translate } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import type { Actor } from '../../services/context.js';
import { pathId } from './access.js';
import { managerOnly, spaceNames, staffOnly, yenOrCount } from './desk-access.js';
import { idList, typeNames } from './desk-loans.js';
import { FORM_ERROR, fieldMessage, formValues, seeOther, type FormErrors } from './forms.js';

const CASE_STATUSES = ['open', 'invoiced', 'not_liable', 'settled', 'waived'] as const;
const UNIT_ACTIONS = ['repair', 'repaired', 'retire'] as const;
const TAG = /^[A-Z]{1,4}-\d{1,4}$/;

type Page = { errors?: FormErrors; values?: Record<string, string>; status?: number };

/** A refusal that is not bad input, as a sentence about the whole page; faults of ours go to the error handler. */
function refusal(error: unknown, t: Translate, own: string | null = null): { errors: FormErrors; status: number } {
  if (!(error instanceof ProblemError) || error.status >= 500 || error.code === 'unauthenticated' || error.code === 'forbidden') throw error;
  return { errors: { [FORM_ERROR]: own ?? t(`problem.${error.code}`) }, status: error.status };
}

/**
 * The manager's equipment pages: the inventory (備品台帳) by type and unit, with units added, sent
 * to repair, returned to the pool and retired; and the damage cases (破損・紛失) with their
 * assessment, settlement or waiver. Staff may look at both, as at the opinion box, but only
 * managers change anything (the services check the role again).
 */
const manageEquipmentPages: FastifyPluginAsync = async (app) => {
  const { loans, loanDesk, spaces } = app.services;

  // ---- the inventory ---------------------------------------------------------------------------

  function renderEquipment(request: FastifyRequest, reply: FastifyReply, actor: Actor, page: Page = {}) {
    const units = loans.units(actor);
    const catalog = loans.catalog().map((e) => ({ ...e, onLoan: units.filter((u) => u.type === e.type && u.state === 'on_loan').length }));
    const query = (request.query ?? {}) as Record<string, unknown>;
    const flaggedIds = idList(query.flagged);
    // `?type=` shows one type's units: the whole list is long on a tablet (20 panels alone).
    const type = catalog.find((e) => e.type === query.type)?.type ?? '';
    return reply.page('manage/equipment', {
      catalog, type,
      units: type === '' ? units : units.filter((u) => u.type === type),
      unitCount: units.length,
      isManager: actor.role === 'manager',
      flagged: flaggedIds.length > 0 ? loanDesk.loansByIds(actor, flaggedIds).filter((l) => l.needsAttention !== null) : [],
      typeNames: typeNames(loans, request),
      spaceNames: spaceNames(spaces, request),
      errors: page.errors ?? {},
      values: page.values ?? {},
    }, page.status ?? 200);
  }

  app.get('/manage/equipment', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    return renderEquipment(request, reply, actor);
  });

  app.post('/manage/equipment/units', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/equipment');
    if (!actor) return reply;
    const values = formValues(request.body, ['type', 'tag', 'note']);
    const t = translator(request.lang);
    const tag = (values.tag ?? '').normalize('NFKC').trim().toUpperCase();
    const note = (values.note ?? '').trim();
    const type = values.type ?? '';
    const errors: FormErrors = {};
    if (!loans.catalog().some((e) => e.type === type)) errors.type = t('desk.error.choose', { label: t('equipmentAdmin.add.type') });
    if (tag !== '' && !TAG.test(tag)) errors.tag = t('equipmentAdmin.error.tag');
    if (Object.keys(errors).length > 0) return renderEquipment(request, reply, actor, { errors, values, status: 422 });
    try {
      const added = loans.addUnit(actor, type, { ...(tag !== '' ? { tag } : {}), ...(note !== '' ? { note } : {}) });
      return seeOther(reply, `/manage/equipment#unit-${added.tag}`, 'flash.equipmentUnitAdded');
    } catch (error) {
      if (error instanceof ValidationError) {
        for (const e of error.errors) {
          if (e.path === 'tag') errors.tag ??= /already exists$/.test(e.message) ? t('equipmentAdmin.error.tagTaken', { tag }) : t('equipmentAdmin.error.tag');
          else if (e.path === 'note') errors.note ??= fieldMessage(e, t('equipmentAdmin.add.note'), t);
          else errors[FORM_ERROR] ??= t('problem.validation_failed');
        }
        return renderEquipment(request, reply, actor, { errors, values, status: 422 });
      }
      const refused = refusal(error, t);
      return renderEquipment(request, reply, actor, { ...refused, values });
    }
  });

  app.post<{ Params: { tag: string } }>('/manage/equipment/units/:tag/state', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/equipment');
    if (!actor) return reply;
    const tag = request.params.tag;
    const values = formValues(request.body, ['action', 'note']);
    const t = translator(request.lang);
    const action = UNIT_ACTIONS.find((a) => a === values.action);
    const key = `note-${tag}`;
    if (!TAG.test(tag) || !action) {
      return renderEquipment(request, reply, actor, { errors: { [FORM_ERROR]: t('problem.validation_failed') }, status: 422 });
    }
    const note = (values.note ?? '').trim();
    try {
      const done = loans.setUnit(actor, tag, { action, ...(note !== '' ? { note } : {}) });
      if (done.flaggedLoans.length > 0) return seeOther(reply, `/manage/equipment?flagged=${done.flaggedLoans.join(',')}`, 'flash.equipmentUnitChangedFlagged');
      return seeOther(reply, `/manage/equipment#unit-${tag}`, 'flash.equipmentUnitChanged');
    } catch (error) {
      if (error instanceof ValidationError) {
        const e = error.errors[0] ?? { path: 'note', message: 'invalid' };
        return renderEquipment(request, reply, actor, { errors: { [key]: fieldMessage(e, t('equipmentAdmin.units.noteOf', { tag }), t) }, values: { [key]: values.note ?? '' }, status: 422 });
      }
      const refused = refusal(error, t, error instanceof ProblemError && error.code === 'invalid_state' ? t('equipmentAdmin.error.state', { tag }) : null);
      return renderEquipment(request, reply, actor, { ...refused, values: { [key]: values.note ?? '' } });
    }
  });

  // ---- damage cases --------------------------------------------------------------------------------

  app.get('/manage/damage-cases', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    const raw = (request.query as Record<string, unknown> | undefined)?.status;
    const status = CASE_STATUSES.find((s) => s === raw) ?? '';
    return reply.page('manage/damage-cases', {
      cases: loanDesk.cases(actor, status || undefined), status, statuses: CASE_STATUSES,
      isManager: actor.role === 'manager', typeNames: typeNames(loans, request),
    });
  });

  function renderCase(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, page: Page = {}) {
    const { damageCase, loan } = loanDesk.damageCase(actor, id);
    return reply.page('manage/damage-case', {
      c: damageCase, loan,
      unit: loans.units(actor).find((u) => u.tag === damageCase.unit) ?? null,
      isManager: actor.role === 'manager',
      typeNames: typeNames(loans, request),
      spaceNames: spaceNames(spaces, request),
      errors: page.errors ?? {},
      values: page.values ?? {},
    }, page.status ?? 200);
  }

  app.get<{ Params: { id: string } }>('/manage/damage-cases/:id', async (request, reply) => {
    const actor = await staffOnly(request, reply);
    if (!actor) return reply;
    return renderCase(request, reply, actor, pathId(request.params.id));
  });

  app.post<{ Params: { id: string } }>('/manage/damage-cases/:id/assess', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/damage-cases');
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const values = formValues(request.body, ['costYen', 'liable', 'assessNote']);
    const t = translator(request.lang);
    const errors: FormErrors = {};
    const liable = values.liable === 'yes' ? true : values.liable === 'no' ? false : null;
    const rawCost = (values.costYen ?? '').trim();
    let costYen = yenOrCount(rawCost);
    if (liable === null) errors.liable = t('desk.error.choose', { label: t('damageAdmin.assess.liable') });
    if (rawCost === '' && liable === false) costYen = 0;
    else if (rawCost === '') errors.costYen = t('validation.required', { label: t('damageAdmin.assess.cost') });
    else if (costYen === null) errors.costYen = t('desk.error.amount', { label: t('damageAdmin.assess.cost') });
    if (Object.keys(errors).length > 0) return renderCase(request, reply, actor, id, { errors, values, status: 422 });
    const note = (values.assessNote ?? '').trim();
    try {
      loans.assess(actor, id, { costYen: costYen!, liable: liable!, ...(note !== '' ? { note } : {}) });
      return seeOther(reply, `/manage/damage-cases/${id}`, liable ? 'flash.damageCaseInvoiced' : 'flash.damageCaseNotLiable');
    } catch (error) {
      if (error instanceof ValidationError) {
        const f = formatters(request.lang);
        for (const e of error.errors) {
          let m: RegExpExecArray | null;
          if ((m = /capped at the replacement value \(¥([\d,]+)\)/.exec(e.message))) errors.costYen ??= t('damageAdmin.assess.error.cap', { max: f.yen(Number(m[1]!.replace(/,/g, ''))) });
          else if (/owes a cost above 0/.test(e.message)) errors.costYen ??= t('damageAdmin.assess.error.zero');
          else if (e.path === 'costYen') errors.costYen ??= t('desk.error.amount', { label: t('damageAdmin.assess.cost') });
          else if (e.path === 'note') errors.assessNote ??= fieldMessage(e, t('damageAdmin.assess.note'), t);
          else errors[FORM_ERROR] ??= t('problem.validation_failed');
        }
        return renderCase(request, reply, actor, id, { errors, values, status: 422 });
      }
      const refused = refusal(error, t, error instanceof ProblemError && error.code === 'invalid_state' ? t('damageAdmin.error.state') : null);
      return renderCase(request, reply, actor, id, { ...refused, values });
    }
  });

  app.post<{ Params: { id: string } }>('/manage/damage-cases/:id/settle', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/damage-cases');
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const t = translator(request.lang);
    try {
      loans.settle(actor, id, {});
      return seeOther(reply, `/manage/damage-cases/${id}`, 'flash.damageCaseSettled');
    } catch (error) {
      const refused = refusal(error, t, error instanceof ProblemError && error.code === 'invalid_state' ? t('damageAdmin.error.state') : null);
      return renderCase(request, reply, actor, id, refused);
    }
  });

  app.post<{ Params: { id: string } }>('/manage/damage-cases/:id/waive', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/damage-cases');
    if (!actor) return reply;
    const id = pathId(request.params.id);
    const values = formValues(request.body, ['waiveReason']);
    const t = translator(request.lang);
    try {
      loans.waive(actor, id, { reason: values.waiveReason ?? '' });
      return seeOther(reply, `/manage/damage-cases/${id}`, 'flash.damageCaseWaived');
    } catch (error) {
      if (error instanceof ValidationError) {
        const e = error.errors[0] ?? { path: 'reason', message: 'required' };
        const message = e.path === 'reason' ? fieldMessage(e, t('damageAdmin.waive.reason'), t) : t('problem.validation_failed');
        return renderCase(request, reply, actor, id, { errors: { [e.path === 'reason' ? 'waiveReason' : FORM_ERROR]: message }, values, status: 422 });
      }
      const refused = refusal(error, t, error instanceof ProblemError && error.code === 'invalid_state' ? t('damageAdmin.error.state') : null);
      return renderCase(request, reply, actor, id, { ...refused, values });
    }
  });
};

export default manageEquipmentPages;
