import { describe, it, expect } from 'vitest';
import { DateTime } from 'luxon';
import { bandOf, bookingCategory, quote, rateKind, type EquipmentLine, type Quote } from '../../server/domain/pricing.js';
import { DEFAULT_RULES, type RateKind, type SpaceInfo } from '../../server/domain/rules.js';
import { ZONE, at } from '../../server/domain/time.js';

type PricedSpace = Pick<SpaceInfo, 'name' | 'indoor' | 'ratesYen'>;

const pricing = DEFAULT_RULES.pricing;
const bands = DEFAULT_RULES.bands;

const hall: PricedSpace = { name: 'ホール', indoor: true, ratesYen: { morning: 2000, afternoon: 2000, evening: 2400 } };
const trainingA: PricedSpace = { name: '会議研修室A', indoor: true, ratesYen: { morning: 400, afternoon: 400, evening: 450 } };
const small1: PricedSpace = { name: '小会議室1', indoor: true, ratesYen: { morning: 200, afternoon: 200, evening: 250 } };
const plaza: PricedSpace = { name: '円環広場', indoor: false, ratesYen: { morning: 500, afternoon: 500, evening: 500 } };
// Every seeded space charges the same morning and afternoon, which would hide a wrong 12:00 edge.
const threeRates: PricedSpace = { name: '試験室', indoor: true, ratesYen: { morning: 100, afternoon: 200, evening: 400 } };

const projector = (quantity: number): EquipmentLine => ({ type: 'projector', name: 'プロジェクター', feeYen: 500, quantity });
const screen = (quantity: number): EquipmentLine => ({ type: 'screen', name: 'スクリーン', feeYen: 200, quantity });
const mic = (quantity: number): EquipmentLine => ({ type: 'wireless-mic', name: 'ワイヤレスマイク', feeYen: 300, quantity });
const whiteboard = (quantity: number): EquipmentLine => ({ type: 'whiteboard', name: 'ホワイトボード', feeYen: 0, quantity });

function price(
  space: PricedSpace,
  date: string,
  from: string,
  to: string,
  kind: RateKind,
  extra: { equipment?: EquipmentLine[]; exemption?: 0 | 50 | 100 } = {},
): Quote {
  return quote({
    space,
    start: at(date, from),
    end: at(date, to),
    rateKind: kind,
    equipment: extra.equipment ?? [],
    exemptionPercent: extra.exemption ?? 0,
    rules: pricing,
    bands,
  });
}

function expectConsistent(result: Quote): void {
  expect(result.lines.reduce((sum, line) => sum + line.amountYen, 0)).toBe(result.totalYen);
  expect(result.totalYen % 10).toBe(0);
  for (const line of result.lines) expect(Number.isInteger(line.amountYen)).toBe(true);
}

describe('bandOf', () => {
  it.each([
    ['08:30', 'morning'], // before opening (an early extension) still counts as morning
    ['09:00', 'morning'],
    ['11:30', 'morning'],
    ['11:59', 'morning'],
    ['12:00', 'afternoon'],
    ['17:30', 'afternoon'],
    ['17:59', 'afternoon'],
    ['18:00', 'evening'],
    ['21:30', 'evening'],
    ['22:00', 'evening'],
    ['22:30', 'evening'],
  ] as const)('puts %s in the %s band', (clock, band) => {
    expect(bandOf(clock, bands)).toBe(band);
  });
});

describe('bookingCategory', () => {
  it.each([
    { registeredGroup: true, commercial: false, admission: 0, category: 'registered' },
    { registeredGroup: true, commercial: false, admission: 2000, category: 'registered' },
    { registeredGroup: true, commercial: false, admission: 2001, category: 'commercial' },
    { registeredGroup: true, commercial: true, admission: 0, category: 'commercial' },
    { registeredGroup: false, commercial: false, admission: 0, category: 'general' },
    { registeredGroup: false, commercial: false, admission: 500, category: 'general' },
    { registeredGroup: false, commercial: false, admission: 2001, category: 'commercial' },
    { registeredGroup: false, commercial: true, admission: 0, category: 'commercial' },
  ] as const)(
    'makes a booking by a registered group=$registeredGroup, commercial=$commercial, admission ¥$admission $category',
    ({ registeredGroup, commercial, admission, category }) => {
      const use = { commercial, admissionFeeYen: admission };
      expect(bookingCategory({ registeredGroup, use, rules: pricing })).toBe(category);
    },
  );

  it('refuses a negative or fractional admission fee', () => {
    const rules = pricing;
    expect(() => bookingCategory({ registeredGroup: false, use: { commercial: false, admissionFeeYen: -1 }, rules })).toThrow();
    expect(() => bookingCategory({ registeredGroup: false, use: { commercial: false, admissionFeeYen: 1.5 }, rules })).toThrow();
  });
});

describe('rateKind', () => {
  it.each([
    { category: 'registered', commercial: false, admission: 0, kind: 'registered' },
    // A registered group charging admission pays 150%, not its 50%: the highest rate applies.
    { category: 'registered', commercial: false, admission: 1, kind: 'admission' },
    { category: 'registered', commercial: false, admission: 2000, kind: 'admission' },
    { category: 'registered', commercial: false, admission: 2001, kind: 'commercial' },
    { category: 'general', commercial: false, admission: 0, kind: 'general' },
    { category: 'general', commercial: false, admission: 2000, kind: 'admission' },
    { category: 'general', commercial: false, admission: 2001, kind: 'commercial' },
    { category: 'general', commercial: true, admission: 0, kind: 'commercial' },
    { category: 'commercial', commercial: false, admission: 0, kind: 'commercial' },
  ] as const)('charges a $category booking with commercial=$commercial and admission ¥$admission at the $kind rate', ({ category, commercial, admission, kind }) => {
    expect(rateKind({ category, use: { commercial, admissionFeeYen: admission }, rules: pricing })).toBe(kind);
  });
});

describe('quote', () => {
  it.each([
    {
      name: 'a general booking of training-a across 18:00 in June is the plain base',
      // 200 + 200 (17:00, 17:30 afternoon) + 225 + 225 (18:00, 18:30 evening) = 850
      run: () => price(trainingA, '2027-06-10', '17:00', '19:00', 'general'),
      lines: [['基本使用料（会議研修室A 17:00–19:00）', 850]],
      total: 850,
    },
    {
      name: 'the same booking in December adds 20% heating',
      // 850 × 1.2 = 1020
      run: () => price(trainingA, '2026-12-10', '17:00', '19:00', 'general'),
      lines: [['基本使用料（会議研修室A 17:00–19:00）', 850], ['暖房料（20%）', 170]],
      total: 1020,
    },
    {
      name: 'a registered group in December pays half, then heating on that half',
      // 850 × 0.5 = 425; 425 × 0.2 = 85; 510
      run: () => price(trainingA, '2026-12-10', '17:00', '19:00', 'registered'),
      lines: [['基本使用料（会議研修室A 17:00–19:00）', 850], ['登録団体（50%）', -425], ['暖房料（20%）', 85]],
      total: 510,
    },
    {
      name: 'a registered evening in small-1 in January is floored to 10 yen only at the end',
      // 3 × 125 = 375; × 0.5 = 187.5 (line −187.5 → −188); heating 37.5 → 37; exact 225 → 220; 375 − 188 + 37 = 224, so −4
      run: () => price(small1, '2027-01-14', '18:00', '19:30', 'registered'),
      lines: [['基本使用料（小会議室1 18:00–19:30）', 375], ['登録団体（50%）', -188], ['暖房料（20%）', 37], ['端数調整', -4]],
      total: 220,
    },
    {
      name: 'a 50% exemption of a fractional amount is floored like every other line',
      // exact 225 as above; exemption 112.5 (line −113); exact 112.5 → 110; 375 − 188 + 37 − 113 = 111, so −1
      run: () => price(small1, '2027-01-14', '18:00', '19:30', 'registered', { exemption: 50 }),
      lines: [
        ['基本使用料（小会議室1 18:00–19:30）', 375],
        ['登録団体（50%）', -188],
        ['暖房料（20%）', 37],
        ['減免（50%）', -113],
        ['端数調整', -1],
      ],
      total: 110,
    },
    {
      name: 'admission at 150% in small-1 floors a half-yen line',
      // 375 × 1.5 = 562.5 (line +187.5 → 187); 562.5 → 560; 375 + 187 = 562, so −2
      run: () => price(small1, '2027-06-10', '18:00', '19:30', 'admission'),
      lines: [['基本使用料（小会議室1 18:00–19:30）', 375], ['入場料徴収（150%）', 187], ['端数調整', -2]],
      total: 560,
    },
    {
      name: 'a general evening in the hall in December',
      // 6 × 1200 = 7200; heating 1440; 8640
      run: () => price(hall, '2026-12-10', '18:00', '21:00', 'general'),
      lines: [['基本使用料（ホール 18:00–21:00）', 7200], ['暖房料（20%）', 1440]],
      total: 8640,
    },
    {
      name: 'commercial use pays 300% and three times the equipment fee, with no heating on equipment',
      // 4 × 200 = 800; × 3 = 2400 (+1600); heating 480; projector 500 × 3 = 1500; screens 2 × 200 × 3 = 1200; 5580
      run: () => price(trainingA, '2026-12-10', '13:00', '15:00', 'commercial', { equipment: [projector(1), screen(2)] }),
      lines: [
        ['基本使用料（会議研修室A 13:00–15:00）', 800],
        ['営利・高額入場料（300%）', 1600],
        ['暖房料（20%）', 480],
        ['プロジェクター ×1（3倍）', 1500],
        ['スクリーン ×2（3倍）', 1200],
      ],
      total: 5580,
    },
    {
      name: 'equipment is free at the registered rate and still shown',
      // 800 × 0.5 = 400; projectors 0
      run: () => price(trainingA, '2027-06-10', '13:00', '15:00', 'registered', { equipment: [projector(2)] }),
      lines: [['基本使用料（会議研修室A 13:00–15:00）', 800], ['登録団体（50%）', -400], ['プロジェクター ×2（登録団体無料）', 0]],
      total: 400,
    },
    {
      name: 'admission of ¥2,000 or less pays 150% of the room and the listed equipment fee',
      // 4 × 1000 = 4000; × 1.5 = 6000 (+2000); projector 500; 6500
      run: () => price(hall, '2027-06-10', '13:00', '15:00', 'admission', { equipment: [projector(1)] }),
      lines: [['基本使用料（ホール 13:00–15:00）', 4000], ['入場料徴収（150%）', 2000], ['プロジェクター ×1', 500]],
      total: 6500,
    },
    {
      name: 'a 50% exemption applies to room and equipment together',
      // 6 × 1000 = 6000; mics 2 × 300 = 600; whiteboard 0; 6600 × 0.5 = 3300
      run: () => price(hall, '2027-06-10', '09:00', '12:00', 'general', { equipment: [mic(2), whiteboard(1)], exemption: 50 }),
      lines: [
        ['基本使用料（ホール 09:00–12:00）', 6000],
        ['ワイヤレスマイク ×2', 600],
        ['ホワイトボード ×1', 0],
        ['減免（50%）', -3300],
      ],
      total: 3300,
    },
    {
      name: 'a 100% exemption leaves nothing to pay',
      // 7200 + 1440 + 500 = 9140, all exempted
      run: () => price(hall, '2026-12-10', '18:00', '21:00', 'general', { equipment: [projector(1)], exemption: 100 }),
      lines: [['基本使用料（ホール 18:00–21:00）', 7200], ['暖房料（20%）', 1440], ['プロジェクター ×1', 500], ['減免（100%）', -9140]],
      total: 0,
    },
    {
      name: 'a booking crossing 12:00 and 18:00 charges each half-hour at its own band',
      // 11:30 morning 50; 12:00–17:30 twelve afternoon slots of 100 = 1200; 18:00 evening 200; 1450 in June
      run: () => price(threeRates, '2027-06-10', '11:30', '18:30', 'general'),
      lines: [['基本使用料（試験室 11:30–18:30）', 1450]],
      total: 1450,
    },
    {
      name: 'a long day in training-a crosses both band edges',
      // 2 × 200 + 12 × 200 + 2 × 225 = 3250
      run: () => price(trainingA, '2027-06-10', '11:00', '19:00', 'general'),
      lines: [['基本使用料（会議研修室A 11:00–19:00）', 3250]],
      total: 3250,
    },
    {
      name: 'an extended hour after 22:00 is charged at the evening rate',
      // 2 × 1200 = 2400
      run: () => price(hall, '2027-06-10', '22:00', '23:00', 'general'),
      lines: [['基本使用料（ホール 22:00–23:00）', 2400]],
      total: 2400,
    },
    {
      name: 'a booking from 21:30 into an extended hour stays at the evening rate',
      // 3 × 1200 = 3600
      run: () => price(hall, '2027-06-10', '21:30', '23:00', 'general'),
      lines: [['基本使用料（ホール 21:30–23:00）', 3600]],
      total: 3600,
    },
  ])('prices $name', ({ run, lines, total }) => {
    const result = run();
    expect(result.lines.map((line) => [line.label, line.amountYen])).toEqual(lines);
    expect(result.totalYen).toBe(total);
    expectConsistent(result);
  });

  it.each([
    // training-a 10:00–12:00 general = 4 × 200 = 800; heated 960
    { date: '2026-10-31', total: 800 },
    { date: '2026-11-01', total: 960 },
    { date: '2026-12-28', total: 960 },
    { date: '2027-01-04', total: 960 }, // the season wraps the new year
    { date: '2027-03-31', total: 960 }, // fiscal year end
    { date: '2027-04-30', total: 960 },
    { date: '2027-05-01', total: 800 },
    { date: '2027-08-15', total: 800 },
  ])('heats an indoor room on $date only inside Nov 1 – Apr 30: ¥$total', ({ date, total }) => {
    const result = price(trainingA, date, '10:00', '12:00', 'general');
    expect(result.totalYen).toBe(total);
    expectConsistent(result);
  });

  // The plaza is out of season in winter, but pricing must not lean on the season check to skip heating.
  it.each(['2026-11-01', '2027-04-30', '2027-06-10'])('never heats the outdoor plaza, even on %s', (date) => {
    const result = price(plaza, date, '10:00', '12:00', 'general');
    expect(result.lines).toEqual([{ label: '基本使用料（円環広場 10:00–12:00）', amountYen: 1000 }]);
    expect(result.totalYen).toBe(1000);
  });

  it('charges admission of exactly ¥2,000 at 150% and ¥2,001 at 300%', () => {
    const kindAt = (admissionFeeYen: number) =>
      rateKind({ category: 'general', use: { commercial: false, admissionFeeYen }, rules: pricing });
    // hall 13:00–15:00 in June: base 4000
    expect(price(hall, '2027-06-10', '13:00', '15:00', kindAt(2000)).totalYen).toBe(6000);
    expect(price(hall, '2027-06-10', '13:00', '15:00', kindAt(2001)).totalYen).toBe(12000);
  });

  it('reads bands and the heating season in Tokyo even when given UTC instants', () => {
    // 09:00Z–12:00Z on Dec 10 is 18:00–21:00 in Tokyo: the hall evening case above.
    const evening = quote({
      space: hall,
      start: DateTime.fromISO('2026-12-10T09:00:00Z', { zone: 'utc' }),
      end: DateTime.fromISO('2026-12-10T12:00:00Z', { zone: 'utc' }),
      rateKind: 'general',
      equipment: [],
      exemptionPercent: 0,
      rules: pricing,
      bands,
    });
    expect(evening.totalYen).toBe(8640);
    expect(evening.lines[0]?.label).toBe('基本使用料（ホール 18:00–21:00）');

    // Still April 30 in UTC but already May 1 in Tokyo: not heated. small-1 00:00–01:00 morning = 200.
    const mayFirst = quote({
      space: small1,
      start: DateTime.fromISO('2027-04-30T15:00:00Z', { zone: 'utc' }),
      end: DateTime.fromISO('2027-04-30T16:00:00Z', { zone: 'utc' }),
      rateKind: 'general',
      equipment: [],
      exemptionPercent: 0,
      rules: pricing,
      bands,
    });
    expect(mayFirst.totalYen).toBe(200);
  });

  it.each([
    { name: 'an end equal to the start', from: '10:00', to: '10:00', equipment: [] },
    { name: 'an end before the start', from: '12:00', to: '10:00', equipment: [] },
    { name: 'a length that is not whole half-hours', from: '10:00', to: '10:45', equipment: [] },
    { name: 'a zero quantity', from: '10:00', to: '11:00', equipment: [projector(0)] },
    { name: 'a negative quantity', from: '10:00', to: '11:00', equipment: [projector(-1)] },
    { name: 'a fractional quantity', from: '10:00', to: '11:00', equipment: [projector(1.5)] },
  ])('refuses $name', ({ from, to, equipment }) => {
    expect(() => price(trainingA, '2027-06-10', from, to, 'general', { equipment })).toThrow(Error);
  });

  it('refuses a fractional percentage rather than guess at rounding it', () => {
    const rules = { ...pricing, heatingPercent: 12.5 };
    expect(() =>
      quote({ space: trainingA, start: at('2026-12-10', '10:00'), end: at('2026-12-10', '11:00'), rateKind: 'general', equipment: [], exemptionPercent: 0, rules, bands }),
    ).toThrow(Error);
  });

  it('adds up and floors to 10 yen for many generated bookings, matching the closed-form fee', () => {
    const random = mulberry32(20261201);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const kinds: RateKind[] = ['registered', 'general', 'admission', 'commercial'];
    const fees = [0, 100, 200, 300, 500, 1000, 2000];
    const names = ['プロジェクター', 'スクリーン', 'パネル'];
    const firstDay = DateTime.fromISO('2026-01-01', { zone: ZONE });

    for (let n = 0; n < 2000; n++) {
      const space: PricedSpace = {
        name: '試験室',
        indoor: random() < 0.8,
        ratesYen: { morning: Math.floor(random() * 3001), afternoon: Math.floor(random() * 3001), evening: Math.floor(random() * 3001) },
      };
      const date = firstDay.plus({ days: Math.floor(random() * 1096) }).toISODate()!;
      const startSlot = 18 + Math.floor(random() * 27); // 09:00 … 22:00
      const slots = 1 + Math.floor(random() * (46 - startSlot)); // ending by 23:00
      const kind = pick(kinds);
      const exemption = pick([0, 0, 50, 100] as const);
      const equipment = Array.from({ length: Math.floor(random() * 4) }, () => ({
        type: 'x',
        name: pick(names),
        feeYen: pick(fees),
        quantity: 1 + Math.floor(random() * 5),
      }));
      const start = at(date, '00:00').plus({ minutes: startSlot * 30 });
      const result = quote({ space, start, end: start.plus({ minutes: slots * 30 }), rateKind: kind, equipment, exemptionPercent: exemption, rules: pricing, bands });

      // The fee written as one fraction over 2,000,000 (÷2 per half-hour, ÷100 three times).
      let rateSum = 0n;
      for (let s = startSlot; s < startSlot + slots; s++) {
        const band = s < 24 ? 'morning' : s < 36 ? 'afternoon' : 'evening';
        rateSum += BigInt(space.ratesYen[band]);
      }
      const month = Number(date.slice(5, 7));
      const heated = space.indoor && (month >= 11 || month <= 4);
      const equipmentYen = equipment.reduce((sum, e) => sum + BigInt(e.feeYen * e.quantity * pricing.equipmentMultiplier[kind]), 0n);
      const numerator =
        (rateSum * BigInt(pricing.categoryPercent[kind]) * BigInt(100 + (heated ? pricing.heatingPercent : 0)) + 20000n * equipmentYen) *
        BigInt(100 - exemption);
      const expected = Number(numerator / 20_000_000n) * 10;

      expect(result.totalYen).toBe(expected);
      expect(result.lines[0]?.amountYen).toBe(Number(rateSum / 2n));
      expectConsistent(result);
    }
  });
});

/** A small seeded generator, so the generated cases are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
