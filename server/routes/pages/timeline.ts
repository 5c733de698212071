import { DateTime } from 'luxon';
import { at } from '../../domain/time.js';

/**
 * Geometry of the day bars: where each free or booked period sits between opening and closing,
 * as SVG percentages (the CSP forbids style attributes, and percentages keep the bar fluid).
 * The bar is decoration; the same periods are always written out as text next to it.
 */
export interface TimelineSegment {
  kind: 'free' | 'busy';
  start: string;
  end: string;
  /** Left edge and width as `12.5%`. */
  x: string;
  width: string;
}

export interface TimelineTick {
  /** The hour, `9` … `22`. */
  hour: number;
  x: string;
  /** Every third hour carries its label; the others are a plain mark. */
  labelled: boolean;
  /** SVG text-anchor, so the first and last labels stay inside the bar. */
  anchor: 'start' | 'middle' | 'end';
}

export interface DayAxis {
  open: string;
  close: string;
  ticks: TimelineTick[];
}

const percent = (part: number, whole: number) => `${Math.round((part / whole) * 100_000) / 1000}%`;

/** The axis of a day open from `open` to `close` ("HH:MM"): a mark at each full hour. */
export function dayAxis(date: string, open: string, close: string): DayAxis {
  const start = at(date, open);
  const end = at(date, close);
  const total = end.diff(start, 'minutes').minutes;
  const ticks: TimelineTick[] = [];
  const firstHour = start.minute === 0 ? start : start.startOf('hour').plus({ hours: 1 });
  for (let t = firstHour; t <= end; t = t.plus({ hours: 1 })) {
    const offset = t.diff(start, 'minutes').minutes;
    const anchor = offset === 0 ? 'start' : offset === total ? 'end' : 'middle';
    ticks.push({ hour: t.hour, x: percent(offset, total), labelled: t.hour % 3 === 0, anchor });
  }
  return { open, close, ticks };
}

/** Free and busy periods (ISO instants inside the day's hours) as bar segments, in time order. */
export function timeline(date: string, open: string, close: string, periods: { free: { start: string; end: string }[]; busy: { start: string; end: string }[] }): TimelineSegment[] {
  const start = at(date, open);
  const total = at(date, close).diff(start, 'minutes').minutes;
  const minutes = (iso: string) => DateTime.fromISO(iso).diff(start, 'minutes').minutes;
  return [
    ...periods.free.map((p) => ({ kind: 'free' as const, ...p })),
    ...periods.busy.map((p) => ({ kind: 'busy' as const, ...p })),
  ]
    .map((p) => ({ ...p, from: minutes(p.start), to: minutes(p.end) }))
    .sort((a, b) => a.from - b.from)
    .map(({ kind, start: s, end, from, to }) => ({ kind, start: s, end, x: percent(from, total), width: percent(to - from, total) }));
}
