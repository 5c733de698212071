import type { FieldError } from '../../errors.js';
import { isMessageKey, type Formatters, type Lang, type MessageKey, type Translate } from '../../i18n/index.js';
import { ja } from '../../i18n/ja.js';
import type { EquipmentView } from '../../services/loans.js';
import type { FieldLabels } from './forms.js';

/**
 * Equipment on the HTML forms (the booking form, the desk's booking form, the take-out form and the
 * fee calculator): one number field a type, named `equipment-<type>`, read into the
 * `[{ type, quantity }]` the services take; and what the services say about equipment, as
 * sentences that name the equipment and how many are free.
 */

export const EQUIPMENT_FIELD_PREFIX = 'equipment-';
export const equipmentField = (type: string): string => `${EQUIPMENT_FIELD_PREFIX}${type}`;
export const typeOfField = (field: string): string | null => (field.startsWith(EQUIPMENT_FIELD_PREFIX) ? field.slice(EQUIPMENT_FIELD_PREFIX.length) : null);

/** The equipment fields of the types the i18n layer names (`equipment.<type>`), each labelled by that name. */
export const EQUIPMENT_LABELS: FieldLabels = Object.fromEntries(
  (Object.keys(ja) as MessageKey[]).filter((k) => k.startsWith('equipment.')).map((k) => [equipmentField(k.slice('equipment.'.length)), k]),
);

/** The form fields of a catalogue's types, to read with `formValues`. */
export function equipmentFieldNames(catalog: readonly Pick<EquipmentView, 'type'>[]): string[] {
  return catalog.map((e) => equipmentField(e.type));
}

/** How a quantity is counted in Japanese (台, 本, 式, 枚); English says the number alone. */
const COUNTERS: Readonly<Record<string, 'hon' | 'shiki' | 'mai'>> = { 'wireless-mic': 'hon', stage: 'shiki', panel: 'mai' };

/** `2台` · `2`: a quantity of a type with its counter. */
export function quantityText(t: Translate, type: string, n: number): string {
  return t(`equipmentQty.${COUNTERS[type] ?? 'dai'}`, { n });
}

/** The name of a type in the page's language (the catalogue's own name for a type the i18n layer does not know). */
export function equipmentName(t: Translate, type: string, catalog?: readonly Pick<EquipmentView, 'type' | 'name' | 'nameEn'>[], lang: Lang = 'ja'): string {
  const key = `equipment.${type}`;
  if (isMessageKey(key)) return t(key);
  const row = catalog?.find((e) => e.type === type);
  return row ? (lang === 'en' ? row.nameEn : row.name) : type;
}

/** `プロジェクター 2台、スクリーン 1台` · `Projector × 2, Screen × 1` */
export function equipmentList(t: Translate, items: readonly { type: string; quantity: number }[]): string {
  return items.map((i) => t('bookEquipment.item', { name: equipmentName(t, i.type), qty: quantityText(t, i.type, i.quantity) })).join(t('booking.listSeparator'));
}

/** A quantity as typed: half- or full-width digits, blank for none. */
function quantityOf(raw: string | undefined): number | null {
  const text = (raw ?? '').normalize('NFKC').trim();
  if (text === '') return 0;
  return /^\d{1,4}$/.test(text) ? Number(text) : null;
}

/**
 * The items of a form, in the order of its fields: every `equipment-<type>` field with a quantity
 * above 0. A quantity that is not a whole number is a field error.
 */
export function equipmentItemsOf(values: Readonly<Record<string, string>>, errors: FieldError[]): { type: string; quantity: number }[] {
  const items: { type: string; quantity: number }[] = [];
  for (const [field, raw] of Object.entries(values)) {
    const type = typeOfField(field);
    if (type === null) continue;
    const quantity = quantityOf(raw);
    if (quantity === null) errors.push({ path: field, message: 'equipment quantity' });
    else if (quantity > 0) items.push({ type, quantity });
  }
  return items;
}

/** One type as a form offers it: its field, name, fee for this borrower, pool and whether it is for the hall only. */
export interface EquipmentChoice {
  field: string;
  type: string;
  name: string;
  total: number;
  feeText: string;
  stockText: string;
  hallOnly: boolean;
}

/**
 * The types a form offers, in the catalogue's order. `free`: the borrower pays nothing for equipment
 * (a registered group, a take-out). `withHallOnly: false` leaves out what is lent only with the hall.
 * A type with no unit in the pool is left out: there is nothing to lend.
 */
export function equipmentChoices(catalog: readonly EquipmentView[], ctx: { t: Translate; f: Formatters; lang: Lang; free: boolean; withHallOnly?: boolean }): EquipmentChoice[] {
  const { t, f } = ctx;
  return catalog
    .filter((e) => e.total > 0 && (ctx.withHallOnly !== false || !e.hallOnly))
    .map((e) => ({
      field: equipmentField(e.type),
      type: e.type,
      name: equipmentName(t, e.type, catalog, ctx.lang),
      total: e.total,
      feeText: ctx.free ? t('bookEquipment.free') : e.feeYen === 0 ? t('bookEquipment.noFee') : t('bookEquipment.feeEach', { fee: f.yen(e.feeYen) }),
      stockText: t('bookEquipment.stock', { qty: quantityText(t, e.type, e.total) }),
      hallOnly: e.hallOnly,
    }));
}

/**
 * What a service said about equipment, in the page's language, with the type it is about (from
 * the message itself, or from the position in `items` for messages that do not name it).
 * Returns null for an error that is not about equipment.
 */
export function equipmentError(e: FieldError, t: Translate, items: readonly { type: string }[] = []): { type: string | null; message: string } | null {
  const m = e.message;
  let match: RegExpExecArray | null;
  const fromField = typeOfField(e.path);
  const at = /^(?:equipment|items)\.(\d+)\.(?:type|quantity)$/.exec(e.path);
  const byIndex = at ? items[Number(at[1])]?.type ?? null : null;
  if (fromField === null && at === null && e.path !== 'equipment' && e.path !== 'items') return null;
  const label = (type: string | null) => (type === null ? t('term.equipment') : equipmentName(t, type));
  if (m === 'equipment quantity') return { type: fromField, message: t('bookEquipment.error.quantity', { label: label(fromField) }) };
  if ((match = /^(\S+) is lent only with the hall$/.exec(m))) return { type: match[1]!, message: t('bookEquipment.error.hallOnly', { label: label(match[1]!) }) };
  if ((match = /^the center has (\d+) (\S+) to lend$/.exec(m))) {
    return { type: match[2]!, message: t('bookEquipment.error.tooMany', { label: label(match[2]!), qty: quantityText(t, match[2]!, Number(match[1])) }) };
  }
  if ((match = /^unknown equipment type: (.*)$/.exec(m))) return { type: null, message: t('bookEquipment.error.unknown') };
  if ((match = /^(\S+) is listed twice$/.exec(m))) return { type: match[1]!, message: t('bookEquipment.error.quantity', { label: label(match[1]!) }) };
  if (m === 'at least one item' || /^Too small: expected array/.test(m)) return { type: null, message: t('bookEquipment.error.noItems') };
  const type = fromField ?? byIndex;
  return { type, message: t('bookEquipment.error.quantity', { label: label(type) }) };
}

/** `{ equipment, requested, available }` entries of a 409 as sentences by type: プロジェクターは残り1台です。 */
export function shortageMessages(conflicts: unknown, t: Translate): { type: string; message: string }[] {
  if (!Array.isArray(conflicts)) return [];
  const out: { type: string; message: string }[] = [];
  for (const c of conflicts as Record<string, unknown>[]) {
    if (typeof c?.equipment !== 'string' || typeof c.available !== 'number') continue;
    if (out.some((o) => o.type === c.equipment)) continue;
    out.push({ type: c.equipment, message: t('bookEquipment.error.short', { label: equipmentName(t, c.equipment), qty: quantityText(t, c.equipment, c.available) }) });
  }
  return out;
}

/** A skipped date of a series whose equipment was taken: the service's detail read back into names and numbers. */
export function shortageReason(detail: string, t: Translate): string | null {
  const m = /^equipment is already taken: (.+)$/.exec(detail);
  if (!m) return null;
  const parts = [...m[1]!.matchAll(/(\S+) \((\d+) of (\d+) free\)/g)].map((x) =>
    t('bookEquipment.shortItem', { label: equipmentName(t, x[1]!), qty: quantityText(t, x[1]!, Number(x[2])) }));
  return parts.length > 0 ? t('bookEquipment.skip.short', { list: parts.join(t('booking.listSeparator')) }) : null;
}

/** The case numbers of a 403 `borrowing_suspended`: No.3、No.5. */
export function suspendingCaseNumbers(extra: Record<string, unknown>, t: Translate): string {
  const cases = Array.isArray(extra.damageCases) ? (extra.damageCases as { id?: unknown }[]) : [];
  return cases.filter((c) => typeof c.id === 'number').map((c) => t('myLoans.caseNo', { id: c.id as number })).join(t('booking.listSeparator'));
}
