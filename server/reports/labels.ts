/**
 * The words of the center's documents. Reports, permits and receipts are official Japanese
 * documents (the city reads them in Japanese whatever a manager's UI language), so they have one
 * table of their own; the domain's words (利用区分, 予約状況, …) come from the i18n table.
 */
import { translator } from '../i18n/index.js';
import type { Band } from '../domain/rules.js';
import type { HeatRow } from './occupancy.js';

export const t = translator('ja');

export const CENTER_NAME = t('site.name');

/** A damage case's state, as the report writes it. */
export const CASE_STATUS_LABEL = {
  open: '査定前', invoiced: '請求中', not_liable: '弁償なし', settled: '収納済', waived: '免除',
} as const;

export const CASE_KIND_LABEL = { damaged: '破損', lost: '紛失' } as const;

export const BAND_LABEL: Record<Band, string> = { morning: '午前', afternoon: '午後', evening: '夜間' };

export const HEAT_ROW_LABEL: Record<HeatRow, string> = {
  '1': '月', '2': '火', '3': '水', '4': '木', '5': '金', '6': '土', '7': '日', holiday: '祝日',
};

export const CHANNEL_LABEL = { online: 'オンライン', desk: '窓口（登録団体・登録者）', walkIn: '窓口（ウォークイン）' } as const;

/** 受付方法 of one booking, as the bookings CSV writes it. */
export function channelLabel(b: { channel: 'desk' | 'online'; walkIn: boolean }): string {
  return b.channel === 'online' ? CHANNEL_LABEL.online : b.walkIn ? CHANNEL_LABEL.walkIn : t('channel.desk');
}
