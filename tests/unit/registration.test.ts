import { describe, expect, it } from 'vitest';
import { canRenew, hasLapsed, isRegisteredOn, personalDataDeletableOn, registrationValidUntil, renewalOpensOn, type GroupStanding } from '../../server/domain/registration.js';

describe('a registration lasts until the end of the fiscal year', () => {
  it.each([
    ['2026-04-01', '2027-03-31'],
    ['2026-12-01', '2027-03-31'],
    ['2027-02-28', '2027-03-31'],
    // From March 1 an approval covers the coming fiscal year as well.
    ['2027-03-01', '2028-03-31'],
    ['2027-03-15', '2028-03-31'],
    ['2027-03-31', '2028-03-31'],
    ['2027-04-01', '2028-03-31'],
    ['2028-02-29', '2028-03-31'],
  ])('approved on %s it is valid until %s', (approved, until) => {
    expect(registrationValidUntil(approved)).toBe(until);
  });

  it('opens renewal on March 1 of the last year', () => {
    expect(renewalOpensOn('2027-03-31')).toBe('2027-03-01');
  });
});

const active = (validUntil: string, renewalPending = false): GroupStanding => ({ status: 'active', validUntil, renewalPending });

describe('a group counts as registered', () => {
  it.each([
    [active('2027-03-31'), '2027-03-31', true],
    [active('2027-03-31'), '2027-04-01', false],
    [active('2027-03-31', true), '2027-04-01', true],
    [active('2027-03-31', true), '2027-06-30', true],
    [{ status: 'suspended', validUntil: '2027-03-31', renewalPending: false } as GroupStanding, '2026-12-01', false],
    [{ status: 'pending', validUntil: null, renewalPending: false } as GroupStanding, '2026-12-01', false],
    [{ status: 'rejected', validUntil: null, renewalPending: false } as GroupStanding, '2026-12-01', false],
    [{ status: 'lapsed', validUntil: '2026-03-31', renewalPending: false } as GroupStanding, '2026-12-01', false],
  ])('%o on %s: %s', (g, today, expected) => {
    expect(isRegisteredOn(g, today)).toBe(expected);
  });
});

describe('lapse and renewal', () => {
  it('lapses on April 1 without a pending renewal, not on March 31', () => {
    expect(hasLapsed(active('2027-03-31'), '2027-03-31')).toBe(false);
    expect(hasLapsed(active('2027-03-31'), '2027-04-01')).toBe(true);
  });

  it('does not lapse while a renewal is pending', () => {
    expect(hasLapsed(active('2027-03-31', true), '2027-04-01')).toBe(false);
  });

  it.each([
    ['2027-02-28', false],
    ['2027-03-01', true],
    ['2027-03-31', true],
  ])('an active group may renew on %s: %s', (today, expected) => {
    expect(canRenew(active('2027-03-31'), today)).toBe(expected);
  });

  it('a lapsed group may apply again at any time, but not twice at once', () => {
    expect(canRenew({ status: 'lapsed', validUntil: '2026-03-31', renewalPending: false }, '2026-08-01')).toBe(true);
    expect(canRenew(active('2027-03-31', true), '2027-03-10')).toBe(false);
  });

  it('deletes personal data after the retention period', () => {
    expect(personalDataDeletableOn('2027-04-01', 365)).toBe('2028-03-31');
  });
});
