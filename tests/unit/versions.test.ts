import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, rulesInForce } from '../../server/domain/rules.js';
import { endOf, inForceOn, timeline } from '../../server/domain/versions.js';

// Versions as stored: the seeded one "since ever", a new fee table from the fiscal year 2027
// (April 1), and one scheduled for the autumn.
const V = [
  { effectiveFrom: '2000-01-01', tag: 'seed' },
  { effectiveFrom: '2027-04-01', tag: 'fy2027' },
  { effectiveFrom: '2027-10-01', tag: 'autumn' },
];

describe('the version in force on a date', () => {
  it.each([
    ['1999-12-31', undefined, 'before the first version there is none'],
    ['2000-01-01', 'seed', 'on the first version’s own date'],
    ['2027-03-30', 'seed', 'two days before a new version'],
    ['2027-03-31', 'seed', 'March 31, the last day of the fiscal year, keeps the old version'],
    ['2027-04-01', 'fy2027', 'April 1, the first day of the fiscal year, takes the new one'],
    ['2027-04-02', 'fy2027', 'the day after'],
    ['2027-09-30', 'fy2027', 'the day before the next version'],
    ['2027-10-01', 'autumn', 'on the next version’s date'],
    ['2099-12-31', 'autumn', 'the latest stays in force'],
  ] as [string, string | undefined, string][])('%s → %s (%s)', (date, tag) => {
    expect(inForceOn(V, date)?.tag).toBe(tag);
  });

  it('does not depend on the order versions are given in', () => {
    expect(inForceOn([...V].reverse(), '2027-04-01')?.tag).toBe('fy2027');
    expect(inForceOn([V[2]!, V[0]!, V[1]!], '2027-03-31')?.tag).toBe('seed');
  });

  it('has nothing in force without versions', () => {
    expect(inForceOn([], '2027-04-01')).toBeUndefined();
  });
});

describe('the end of a version', () => {
  it('is the next version’s date, or none for the latest', () => {
    expect(endOf(V, '2000-01-01')).toBe('2027-04-01');
    expect(endOf(V, '2027-04-01')).toBe('2027-10-01');
    expect(endOf(V, '2027-10-01')).toBeNull();
  });

  it('for a date between versions, is the next one after it (a version inserted there ends where the next begins)', () => {
    expect(endOf(V, '2027-06-01')).toBe('2027-10-01');
    expect(endOf(V, '2028-01-01')).toBeNull();
  });
});

describe('versions as a manager reads them', () => {
  it.each([
    ['2027-03-31', 'seed', ['fy2027', 'autumn'], []],
    ['2027-04-01', 'fy2027', ['autumn'], ['seed']],
    ['2027-10-02', 'autumn', [], ['fy2027', 'seed']],
  ])('on %s: %s in force, scheduled %j, earlier %j', (today, current, scheduled, earlier) => {
    const t = timeline(V, today);
    expect(t.current?.tag).toBe(current);
    expect(t.scheduled.map((v) => v.tag)).toEqual(scheduled);
    expect(t.earlier.map((v) => v.tag)).toEqual(earlier);
  });
});

describe('the rules in force on a date', () => {
  const pricing = (heatingPercent: number) => ({ ...DEFAULT_RULES.pricing, heatingPercent });
  const versions = {
    pricing: [{ effectiveFrom: '2000-01-01', value: pricing(20) }, { effectiveFrom: '2027-04-01', value: pricing(30) }],
    life: [{ effectiveFrom: '2000-01-01', value: { ...DEFAULT_RULES.life } }, { effectiveFrom: '2027-04-01', value: { cancellationTiers: [{ minDaysBefore: 14, percent: 0 }, { minDaysBefore: 0, percent: 100 }] } }],
  };

  it('takes each section from its own version on the use date', () => {
    expect(rulesInForce(versions, '2027-03-31').pricing.heatingPercent).toBe(20);
    expect(rulesInForce(versions, '2027-04-01').pricing.heatingPercent).toBe(30);
    expect(rulesInForce(versions, '2027-03-31').life.cancellationTiers).toEqual(DEFAULT_RULES.life.cancellationTiers);
    expect(rulesInForce(versions, '2027-04-01').life.cancellationTiers).toEqual([{ minDaysBefore: 14, percent: 0 }, { minDaysBefore: 0, percent: 100 }]);
  });

  it('keeps the defaults for a section without versions, and for fields a stored version lacks', () => {
    const rules = rulesInForce(versions, '2027-04-01');
    expect(rules.calendar).toEqual(DEFAULT_RULES.calendar);
    // The 2027 life version names only its tiers: the rest of the section keeps its defaults.
    expect(rules.life.provisionalDays).toBe(DEFAULT_RULES.life.provisionalDays);
    expect(rulesInForce({}, '2027-04-01')).toEqual(DEFAULT_RULES);
  });
});
