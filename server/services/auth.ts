import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { z } from 'zod';
import { accounts, apiTokens, sessions } from '../../db/schema.js';
import { ProblemError, UnauthenticatedError, ValidationError } from '../errors.js';
import { toStored } from '../domain/time.js';
import { recordAudit } from '../repositories/audit.js';
import { requireManager, type Actor, type Deps, type Role } from './context.js';
import { LoginLimiter } from './login-limiter.js';
import { hashPassword, hashToken, newToken, verifyPassword } from './secrets.js';
import { parseInput, text } from './validate.js';

export const LoginInput = z.object({ email: z.string().max(254), password: z.string().max(1024) });

export const AccountInput = z.object({
  name: text(100),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  password: z.string().min(10).max(1024),
  phone: z.string().trim().regex(/^[0-9+\-() ]{6,20}$/, 'phone number'),
}).strict();

type AccountRow = typeof accounts.$inferSelect;

function toActor(a: AccountRow): Actor {
  return { id: a.id, role: a.role as Role, name: a.name, groupId: a.groupId, isRepresentative: a.isRepresentative };
}

export function makeAuthService(deps: Deps) {
  const { db, clock, config } = deps;
  const limiter = new LoginLimiter(config.loginMaxFailures);

  function emailTaken(email: string): boolean {
    return db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email)).get() !== undefined;
  }

  return {
    /** Checks a password; on success opens a new session (a fresh id at every login). */
    async login(input: unknown, address: string): Promise<{ token: string; actor: Actor; expiresAt: string }> {
      const { email, password } = parseInput(LoginInput, input);
      const normalized = email.trim().toLowerCase();
      const keys = [`ip:${address}`, `account:${normalized}`];
      const nowMs = clock().toMillis();
      const wait = limiter.blockedFor(keys, nowMs);
      if (wait > 0) throw new ProblemError('rate_limited', 'too many failed logins; try again later', { retryAfter: wait });
      const account = db.select().from(accounts).where(eq(accounts.email, normalized)).get();
      const ok = await verifyPassword(password, account?.passwordHash ?? null, config.scryptLogN);
      if (!ok || !account || account.disabledAt) {
        limiter.fail(keys, nowMs);
        throw new UnauthenticatedError('wrong e-mail address or password');
      }
      const token = newToken();
      const now = clock();
      const expiresAt = toStored(now.plus({ hours: config.sessionHours }));
      db.transaction((tx) => {
        tx.delete(sessions).where(lt(sessions.expiresAt, toStored(now))).run();
        tx.insert(sessions).values({ id: hashToken(token), accountId: account.id, createdAt: toStored(now), expiresAt }).run();
        recordAudit(tx, { at: toStored(now), actorId: account.id, action: 'login', entity: 'account', entityId: account.id });
      }, { behavior: 'immediate' });
      return { token, actor: toActor(account), expiresAt };
    },

    logout(token: string): void {
      db.delete(sessions).where(eq(sessions.id, hashToken(token))).run();
    },

    /** The actor behind a session cookie, or null when it is unknown, expired or the account disabled. */
    actorForSession(token: string): Actor | null {
      const row = db.select({ account: accounts }).from(sessions)
        .innerJoin(accounts, eq(accounts.id, sessions.accountId))
        .where(and(eq(sessions.id, hashToken(token)), gt(sessions.expiresAt, toStored(clock())), isNull(accounts.disabledAt)))
        .get();
      return row ? toActor(row.account) : null;
    },

    actorForApiToken(token: string): Actor | null {
      const row = db.select({ account: accounts }).from(apiTokens)
        .innerJoin(accounts, eq(accounts.id, apiTokens.accountId))
        .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt), isNull(accounts.disabledAt)))
        .get();
      return row ? toActor(row.account) : null;
    },

    /** Individual signup: an account that books online within the general window. */
    async createIndividual(input: unknown): Promise<{ id: number }> {
      const data = parseInput(AccountInput, input);
      if (emailTaken(data.email)) throw new ValidationError([{ path: 'email', message: 'this e-mail address is already registered' }]);
      const passwordHash = await hashPassword(data.password, config.scryptLogN);
      const now = toStored(clock());
      return db.transaction((tx) => {
        // Checked again inside the transaction: two signups with one address race through the hash.
        if (tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, data.email)).get()) {
          throw new ValidationError([{ path: 'email', message: 'this e-mail address is already registered' }]);
        }
        const id = tx.insert(accounts).values({ role: 'individual', name: data.name, email: data.email, phone: data.phone, passwordHash, createdAt: now })
          .returning({ id: accounts.id }).get().id;
        recordAudit(tx, { at: now, actorId: id, action: 'account.create', entity: 'account', entityId: id, detail: { role: 'individual' } });
        return { id };
      }, { behavior: 'immediate' });
    },

    /** A manager creates a staff (or manager) account. */
    async createStaff(actor: Actor | null, input: unknown): Promise<{ id: number }> {
      const manager = requireManager(actor);
      const data = parseInput(AccountInput.extend({ role: z.enum(['staff', 'manager']).default('staff') }), input);
      if (emailTaken(data.email)) throw new ValidationError([{ path: 'email', message: 'this e-mail address is already registered' }]);
      const passwordHash = await hashPassword(data.password, config.scryptLogN);
      const now = toStored(clock());
      return db.transaction((tx) => {
        const id = tx.insert(accounts).values({ role: data.role, name: data.name, email: data.email, phone: data.phone, passwordHash, createdAt: now })
          .returning({ id: accounts.id }).get().id;
        recordAudit(tx, { at: now, actorId: manager.id, action: 'account.create', entity: 'account', entityId: id, detail: { role: data.role } });
        return { id };
      }, { behavior: 'immediate' });
    },

    issueApiToken(actor: Actor | null, input: unknown): { token: string } {
      const manager = requireManager(actor);
      const { name } = parseInput(z.object({ name: text(100) }), input);
      const token = newToken();
      const now = toStored(clock());
      db.transaction((tx) => {
        const id = tx.insert(apiTokens).values({ name, tokenHash: hashToken(token), accountId: manager.id, createdAt: now })
          .returning({ id: apiTokens.id }).get().id;
        recordAudit(tx, { at: now, actorId: manager.id, action: 'api_token.issue', entity: 'api_token', entityId: id, detail: { name } });
      }, { behavior: 'immediate' });
      return { token };
    },

    /**
     * The first manager, on a database without one: from ADMIN_EMAIL/ADMIN_PASSWORD, or with a
     * generated password that the caller prints once.
     */
    async ensureFirstManager(): Promise<{ email: string; generatedPassword: string | null } | null> {
      if (db.select({ id: accounts.id }).from(accounts).where(eq(accounts.role, 'manager')).get()) return null;
      const email = (config.adminEmail ?? 'admin@hiroba.local').toLowerCase();
      const generatedPassword = config.adminPassword ? null : newToken().slice(0, 20);
      const passwordHash = await hashPassword(config.adminPassword ?? generatedPassword!, config.scryptLogN);
      const now = toStored(clock());
      db.transaction((tx) => {
        const id = tx.insert(accounts).values({ role: 'manager', name: '管理者', email, passwordHash, createdAt: now })
          .onConflictDoNothing().returning({ id: accounts.id }).get()?.id;
        if (id === undefined) throw new Error(`ADMIN_EMAIL ${email} belongs to an account that is not a manager`);
        recordAudit(tx, { at: now, actorId: null, action: 'account.create', entity: 'account', entityId: id, detail: { role: 'manager', first: true } });
      }, { behavior: 'immediate' });
      return { email, generatedPassword };
    },
  };
}

export type AuthService = ReturnType<typeof makeAuthService>;
