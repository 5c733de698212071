import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { tokyoDate } from '../../domain/time.js';
import { ConflictError, ProblemError, ValidationError, type FieldError } from '../../errors.js';
import { formatters, translator, type Translate } from '../../i18n/index.js';
import { verifyCsrf } from '../../plugins/csrf.js';
import type { Actor } from '../../services/context.js';
import { EFFECTIVE_FROM_MESSAGES } from '../../services/rules.js';
import { managerOnly, yenOrCount } from './desk-access.js';
import { FORM_ERROR, fieldMessage, formValues, seeOther, type FieldLabels, type FormErrors } from './forms.js';

type Values = Record<string, string>;

const NAME_FIELDS = ['name', 'nameEn', 'notes'] as const;
const TERM_FIELDS = ['capacity', 'seasonFrom', 'seasonTo', 'groupMonthlyQuota', 'effectiveFrom'] as const;
const LABELS: FieldLabels = {
  name: 'manage.spaces.name', nameEn: 'manage.spaces.nameEn', notes: 'manage.spaces.notes',
  capacity: 'manage.spaces.capacity', seasonFrom: 'manage.spaces.seasonFrom', seasonTo: 'manage.spaces.seasonTo',
  groupMonthlyQuota: 'manage.spaces.quota', effectiveFrom: 'manage.spaces.effectiveFrom',
};

/** A refusal about the whole page (a 404 of a withdrawn version, 409): input errors are the forms' own. */
function pageRefusal(error: unknown, t: Translate): { errors: FormErrors; status: number } {
  if (!(error instanceof ProblemError) || error.status >= 500 || error.code === 'unauthenticated' || error.code === 'forbidden') throw error;
  return { errors: { [FORM_ERROR]: t(`problem.${error.code}`) }, status: error.status };
}

/** The conflicts of a refused change, as rows the page lists (each booking links to the desk). */
type Stranded = { bookingId: number; start: string; end: string; attendees?: number; reason?: string; space?: string; withBookingId?: number; withStart?: string; withEnd?: string };

/**
 * `/manage/spaces`: each space's names and notes (at once), its capacity, bookable season and
 * group monthly quota from a date, and which spaces make up a whole.
 */
const manageSpacePages: FastifyPluginAsync = async (app) => {
  const { spaceAdmin } = app.services;

  app.get('/manage/spaces', async (request, reply) => {
    const actor = await managerOnly(request, reply);
    if (!actor) return reply;
    const list = spaceAdmin.list(actor);
    const names = Object.fromEntries(list.map((s) => [s.slug, request.lang === 'en' ? s.nameEn : s.name]));
    return reply.page('manage/spaces', { spaces: list, names, today: tokyoDate(app.clock()) });
  });

  function render(request: FastifyRequest, reply: FastifyReply, actor: Actor, slug: string, extra: { values?: Values; errors?: FormErrors; stranded?: Stranded[]; strandedKind?: 'terms' | 'parts' } = {}, status = 200) {
    const space = spaceAdmin.get(actor, slug);
    const all = spaceAdmin.list(actor);
    const today = tokyoDate(app.clock());
    const names = Object.fromEntries(all.map((s) => [s.slug, request.lang === 'en' ? s.nameEn : s.name]));
    // A part is a space with no parts of its own that no other whole holds.
    const candidates = all.filter((s) => s.slug !== slug && s.parts.length === 0 && s.partOf.every((w) => w === slug));
    const values: Values = {
      name: space.name, nameEn: space.nameEn, notes: space.notes ?? '',
      capacity: String(space.current.capacity), seasonFrom: space.current.seasonFrom ?? '', seasonTo: space.current.seasonTo ?? '',
      groupMonthlyQuota: space.current.groupMonthlyQuota === null ? '' : String(space.current.groupMonthlyQuota),
      effectiveFrom: today,
      ...extra.values,
    };
    return reply.page('manage/space', {
      space, names, candidates, values, errors: extra.errors ?? {}, today,
      stranded: extra.stranded ?? null, strandedKind: extra.strandedKind ?? null,
      spaceName: names[slug] ?? slug,
      // The parts as checked on the form: those submitted after a refusal, the stored ones otherwise.
      checkedParts: extra.values?.parts !== undefined ? extra.values.parts.split(',').filter(Boolean) : space.parts,
    }, status);
  }

  app.get<{ Params: { slug: string } }>('/manage/spaces/:slug', async (request, reply) => {
    const actor = await managerOnly(request, reply);
    if (!actor) return reply;
    return render(request, reply, actor, request.params.slug);
  });

  app.post<{ Params: { slug: string } }>('/manage/spaces/:slug', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/spaces');
    if (!actor) return reply;
    const { slug } = request.params;
    const values = formValues(request.body, NAME_FIELDS);
    const t = translator(request.lang);
    try {
      spaceAdmin.rename(actor, slug, { name: values.name ?? '', nameEn: values.nameEn ?? '', notes: values.notes?.trim() ?? '' });
      return seeOther(reply, `/manage/spaces/${encodeURIComponent(slug)}`, 'flash.spaceRenamed');
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors: FormErrors = {};
        for (const e of error.errors) {
          const label = LABELS[e.path];
          if (!label) errors[FORM_ERROR] ??= t('problem.validation_failed');
          else errors[e.path] ??= e.message === 'already used by another space' ? t('manage.spaces.error.nameTaken', { label: t(label) }) : fieldMessage(e, t(label), t);
        }
        return render(request, reply, actor, slug, { values, errors }, 422);
      }
      const { errors, status } = pageRefusal(error, t);
      return render(request, reply, actor, slug, { values, errors }, status);
    }
  });

  /** The message of one field of the terms form. */
  function termMessage(e: FieldError, t: Translate, today: string, lang: 'ja' | 'en'): string {
    const label = t(LABELS[e.path]!);
    if (e.path === 'effectiveFrom') {
      return e.message === EFFECTIVE_FROM_MESSAGES.past
        ? t('manage.rules.error.past', { label, date: formatters(lang).date(today) })
        : t('validation.date', { label });
    }
    if (e.path === 'seasonFrom' || e.path === 'seasonTo') return t('manage.spaces.error.season', { label });
    if (e.path === 'capacity') return t('manage.spaces.error.capacity', { label });
    if (e.path === 'groupMonthlyQuota') return t('manage.spaces.error.quota', { label });
    return fieldMessage(e, label, t);
  }

  app.post<{ Params: { slug: string } }>('/manage/spaces/:slug/versions', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/spaces');
    if (!actor) return reply;
    const { slug } = request.params;
    const values = formValues(request.body, TERM_FIELDS);
    const t = translator(request.lang);
    const today = tokyoDate(app.clock());
    const text = (k: (typeof TERM_FIELDS)[number]) => values[k]?.normalize('NFKC').trim() ?? '';
    // Form text to the service's types; a number that is not one is passed so the service names its field.
    const quota = text('groupMonthlyQuota');
    try {
      const saved = spaceAdmin.scheduleTerms(actor, slug, {
        capacity: yenOrCount(values.capacity) ?? -1,
        seasonFrom: text('seasonFrom') || null,
        seasonTo: text('seasonTo') || null,
        groupMonthlyQuota: quota === '' ? null : yenOrCount(quota) ?? -1,
        effectiveFrom: text('effectiveFrom'),
      });
      return seeOther(reply, `/manage/spaces/${encodeURIComponent(slug)}`, saved.effectiveFrom > today ? 'flash.spaceTermsScheduled' : 'flash.spaceTermsSaved');
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors: FormErrors = {};
        for (const e of error.errors) {
          if (!LABELS[e.path]) errors[FORM_ERROR] ??= t('problem.validation_failed');
          else errors[e.path] ??= termMessage(e, t, today, request.lang);
        }
        return render(request, reply, actor, slug, { values, errors }, 422);
      }
      if (error instanceof ConflictError) {
        const stranded = error.extra.conflicts as Stranded[];
        return render(request, reply, actor, slug, { values, errors: { [FORM_ERROR]: t('manage.spaces.error.stranded', { n: stranded.length }) }, stranded, strandedKind: 'terms' }, 409);
      }
      const { errors, status } = pageRefusal(error, t);
      return render(request, reply, actor, slug, { values, errors }, status);
    }
  });

  app.post<{ Params: { slug: string; date: string } }>('/manage/spaces/:slug/versions/:date/withdraw', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/spaces');
    if (!actor) return reply;
    const { slug, date } = request.params;
    try {
      spaceAdmin.withdrawTerms(actor, slug, date);
      return seeOther(reply, `/manage/spaces/${encodeURIComponent(slug)}`, 'flash.spaceTermsWithdrawn');
    } catch (error) {
      const { errors, status } = pageRefusal(error, translator(request.lang));
      return render(request, reply, actor, slug, { errors }, status);
    }
  });

  app.post<{ Params: { slug: string } }>('/manage/spaces/:slug/parts', { preHandler: verifyCsrf }, async (request, reply) => {
    const actor = await managerOnly(request, reply, '/manage/spaces');
    if (!actor) return reply;
    const { slug } = request.params;
    const raw = (request.body as Record<string, unknown> | undefined)?.parts;
    const parts = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((p): p is string => typeof p === 'string');
    const t = translator(request.lang);
    const values = { parts: parts.join(',') };
    try {
      spaceAdmin.setParts(actor, slug, { parts });
      return seeOther(reply, `/manage/spaces/${encodeURIComponent(slug)}`, 'flash.spacePartsSaved');
    } catch (error) {
      if (error instanceof ValidationError) {
        return render(request, reply, actor, slug, { values, errors: { [FORM_ERROR]: t('manage.spaces.error.parts') } }, 422);
      }
      if (error instanceof ConflictError) {
        const stranded = error.extra.conflicts as Stranded[];
        return render(request, reply, actor, slug, { values, errors: { [FORM_ERROR]: t('manage.spaces.error.partsOverlap', { n: stranded.length }) }, stranded, strandedKind: 'parts' }, 409);
      }
      const { errors, status } = pageRefusal(error, t);
      return render(request, reply, actor, slug, { values, errors }, status);
    }
  });

};

export default manageSpacePages;
