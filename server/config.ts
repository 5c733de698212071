import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const ConfigSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default('data/hiroba.db'),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(10).optional(),
  /** log2 of scrypt's N: 17 is OWASP's figure (~250 ms a hash here); tests use less. */
  SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(17),
  SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  /** Set when Hiroba is served over HTTPS (directly or behind a proxy): cookies get `Secure`. */
  COOKIE_SECURE: bool.default(false),
  /**
   * Whom to believe in X-Forwarded-For/-Proto: `false`; a number of proxy hops (1: the address the
   * one proxy in front appended — right for nginx's `$proxy_add_x_forwarded_for`); the proxies'
   * addresses or CIDRs, comma-separated; or `true`, every hop (only behind a proxy that replaces
   * the header, as a client can otherwise choose its own address).
   */
  TRUST_PROXY: z.string().trim().default('false').transform((v, ctx): boolean | number | string => {
    if (v === 'true' || v === 'false') return v === 'true';
    if (/^\d{1,2}$/.test(v)) return Number(v);
    if (/^[0-9A-Fa-f:.\/]+(\s*,\s*[0-9A-Fa-f:.\/]+)*$/.test(v)) return v;
    ctx.addIssue({ code: 'custom', message: 'true, false, a number of hops, or proxy addresses separated by commas' });
    return z.NEVER;
  }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How often the expiry and no-show job runs. */
  JOB_INTERVAL_SECONDS: z.coerce.number().int().min(5).default(60),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(20),
  /** A request (headers and body) must arrive within this many seconds, or it is answered 408 and cut off. */
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /** Adds `/_bench/eta`, the bare Eta page `npm run bench` compares the week grid with. */
  BENCH_ROUTES: bool.default(false),
});

export type Config = {
  host: string;
  port: number;
  databasePath: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  scryptLogN: number;
  sessionHours: number;
  cookieSecure: boolean;
  trustProxy: boolean | number | string;
  logLevel: string;
  jobIntervalSeconds: number;
  loginMaxFailures: number;
  requestTimeoutSeconds: number;
  benchRoutes: boolean;
};

/** The only reader of the environment. Throws with every bad variable named. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    host: c.HOST,
    port: c.PORT,
    databasePath: c.DATABASE_PATH,
    adminEmail: c.ADMIN_EMAIL,
    adminPassword: c.ADMIN_PASSWORD,
    scryptLogN: c.SCRYPT_LOG_N,
    sessionHours: c.SESSION_HOURS,
    cookieSecure: c.COOKIE_SECURE,
    trustProxy: c.TRUST_PROXY,
    logLevel: c.LOG_LEVEL,
    jobIntervalSeconds: c.JOB_INTERVAL_SECONDS,
    loginMaxFailures: c.LOGIN_MAX_FAILURES,
    requestTimeoutSeconds: c.REQUEST_TIMEOUT_SECONDS,
    benchRoutes: c.BENCH_ROUTES,
  };
}

/** A configuration for tests: fast hashes, no admin. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...readConfig({}), scryptLogN: 10, logLevel: 'silent', ...overrides };
}
