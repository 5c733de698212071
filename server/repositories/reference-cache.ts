import { asc } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Tx } from '../../db/client.js';
import { dayOverrides } from '../../db/schema.js';
import { openingDay, type DayOverride, type OpeningDay } from '../domain/calendar.js';
import { rulesInForce, type RuleSection, type RuleVersion, type Rules } from '../domain/rules.js';
import { tokyoDate } from '../domain/time.js';
import { loadRuleVersions, loadSpaces, type SpaceRow } from './reference.js';

const MAX_ENTRIES = 5000;

/**
 * The reference data every request reads (rules, spaces and rates, the opening calendar), kept in
 * memory. It changes only through this app's own writes, which call `invalidate()`; one
 * connection and synchronous transactions mean no reader can see a stale copy mid-write.
 */
export class ReferenceCache {
  private versions: Record<RuleSection, RuleVersion[]> | undefined;
  private readonly rulesByDate = new Map<string, Rules>();
  private readonly spacesByDate = new Map<string, SpaceRow[]>();
  private overrides: Map<string, DayOverride> | undefined;
  private readonly days = new Map<string, OpeningDay>();

  /** `today` is the Tokyo date of the app's clock (a test's clock in tests). */
  constructor(private readonly db: Tx, private readonly today: () => string = () => tokyoDate(DateTime.now())) {}

  /**
   * The rules in force on a Tokyo date (today's when omitted). A booking follows those of its use
   * date; the periodic jobs those of today.
   */
  rules(date: string = this.today()): Rules {
    let rules = this.rulesByDate.get(date);
    if (!rules) {
      if (this.rulesByDate.size >= MAX_ENTRIES) this.rulesByDate.clear();
      rules = rulesInForce((this.versions ??= loadRuleVersions(this.db)), date);
      this.rulesByDate.set(date, rules);
    }
    return rules;
  }

  /** Spaces with the rates in force on `date`. */
  spaces(date: string): SpaceRow[] {
    let list = this.spacesByDate.get(date);
    if (!list) {
      if (this.spacesByDate.size >= MAX_ENTRIES) this.spacesByDate.clear();
      list = loadSpaces(this.db, date);
      this.spacesByDate.set(date, list);
    }
    return list;
  }

  override(date: string): DayOverride | undefined {
    if (!this.overrides) {
      const rows = this.db.select().from(dayOverrides).orderBy(asc(dayOverrides.date)).all();
      this.overrides = new Map(rows.map((r) => [r.date, { date: r.date, closed: r.closed, open: r.open, close: r.close, reason: r.reason }]));
    }
    return this.overrides.get(date);
  }

  /** The opening day of a date under the calendar rules in force on it and its override. */
  day(date: string): OpeningDay {
    let day = this.days.get(date);
    if (!day) {
      if (this.days.size >= MAX_ENTRIES) this.days.clear();
      day = openingDay(date, this.rules(date).calendar, this.override(date));
      this.days.set(date, day);
    }
    return day;
  }

  readonly dayOf = (date: string): OpeningDay => this.day(date);

  /** Called by every write of rules, spaces, rates or day overrides (even one later rolled back). */
  invalidate(): void {
    this.versions = undefined;
    this.rulesByDate.clear();
    this.spacesByDate.clear();
    this.overrides = undefined;
    this.days.clear();
  }
}
