import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 10: the real server (`server/main.ts`, a child process) on a file database.
// - A request whose body never finishes arriving is answered 408 and cut off after
//   REQUEST_TIMEOUT_SECONDS (2 s here), even when the client keeps trickling bytes.
// - SIGTERM while requests are in flight: the server stops accepting, lets every in-flight request
//   finish with its normal answer, closes the database (its WAL is checkpointed and removed) and
//   exits 0 — and the file holds every booking it acknowledged.
// Requests are made "in flight" deterministically: each is sent with `Expect: 100-continue`, so the
// server's `100 Continue` proves it has read the headers and is waiting for the body, which is sent
// only after the signal.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ADMIN_EMAIL = 'shutdown-admin@hiroba.test';
const ADMIN_PASSWORD = 'shutdown-admin-password';
const TIMEOUT_SECONDS = 2;

const dir = mkdtempSync(join(tmpdir(), 'hiroba-shutdown-'));
const dbPath = join(dir, 'shutdown.db');
let child: ChildProcess;
let port = 0;
let stderr = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
let token = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: dbPath, LOG_LEVEL: 'warn',
      ADMIN_EMAIL, ADMIN_PASSWORD, SCRYPT_LOG_N: '10', REQUEST_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within 15 s:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const issued = await fetch(`http://127.0.0.1:${port}/api/v1/api-tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'shutdown-test' }),
  });
  expect(issued.status).toBe(201);
  token = ((await issued.json()) as { token: string }).token;
}, 20_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Writes raw bytes on a fresh connection and collects what comes back until the server closes it. */
function rawExchange(write: (socket: ReturnType<typeof connect>) => void): Promise<{ reply: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const began = Date.now();
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (d) => { reply += d.toString(); });
    socket.on('error', reject);
    socket.on('close', () => resolve({ reply, ms: Date.now() - began }));
    socket.on('connect', () => write(socket));
    // Never hang the suite: a server that does not cut the client off fails the test instead.
    setTimeout(() => socket.destroy(), (TIMEOUT_SECONDS + 8) * 1000).unref();
  });
}

function opinionsStored(): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM opinions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe.concurrent('the request timeout', () => {
  const head = (length: number) => `POST /api/v1/opinions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

  it(`answers 408 and closes the connection when a body stops arriving (${TIMEOUT_SECONDS} s)`, async () => {
    const { reply, ms } = await rawExchange((socket) => socket.write(`${head(100)}{"category"`)); // 10 of 100 bytes
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000 - 100);
    expect(ms).toBeLessThan(TIMEOUT_SECONDS * 1000 + 3000);
    expect(opinionsStored()).toBe(0);
  });

  it('cuts off a client that keeps trickling a byte at a time: the limit is on the whole request, not on silence', async () => {
    const body = JSON.stringify({ category: 'facility', body: 'ゆっくり送られた意見です。'.repeat(3) });
    let timer: NodeJS.Timeout | undefined;
    const { reply, ms } = await rawExchange((socket) => {
      socket.write(head(Buffer.byteLength(body)));
      const bytes = Buffer.from(body);
      let i = 0;
      timer = setInterval(() => {
        if (i < bytes.length && !socket.destroyed) socket.write(bytes.subarray(i, (i += 1)));
      }, 200);
    });
    clearInterval(timer);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000 - 100);
    expect(ms).toBeLessThan(TIMEOUT_SECONDS * 1000 + 3000);
    expect(opinionsStored()).toBe(0);
  });
});

interface InFlight {
  /** Resolves with the status and body once the server answers. */
  done: Promise<{ status: number; body: Buffer }>;
  /** Sends the rest of the body. */
  finish: () => void;
}

/**
 * A request the server has started on but cannot finish until `finish()`: sent with
 * `Expect: 100-continue`, and resolved once the server's `100 Continue` shows it read the headers.
 * A POST then gets all but the last bytes of its body; a GET has none to wait for.
 */
function inFlight(method: 'POST' | 'GET', path: string, body?: string): Promise<InFlight> {
  return new Promise((ready, fail) => {
    const bytes = body === undefined ? undefined : Buffer.from(body);
    let answered!: (r: { status: number; body: Buffer }) => void;
    let failed!: (e: Error) => void;
    const done = new Promise<{ status: number; body: Buffer }>((res, rej) => { answered = res; failed = rej; });
    const req = request({
      host: '127.0.0.1', port, method, path, agent: false,
      headers: {
        authorization: `Bearer ${token}`, expect: '100-continue',
        ...(bytes ? { 'content-type': 'application/json', 'content-length': String(bytes.length) } : {}),
      },
    }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => answered({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', failed);
    });
    req.on('error', (e) => { failed(e); fail(e); });
    req.on('continue', () => {
      if (bytes) req.write(bytes.subarray(0, bytes.length - 5));
      ready({ done, finish: () => req.end(bytes ? bytes.subarray(bytes.length - 5) : undefined) });
    });
  });
}

describe('SIGTERM with requests in flight', () => {
  it('finishes every in-flight request, stops accepting, closes the database and exits 0', { timeout: 20_000 }, async () => {
    // An open day from two weeks ahead (inside the general window), as the server's calendar says.
    const spaces = ['small-1', 'small-2', 'training-a', 'training-b', 'lounge'];
    let day = DateTime.now().setZone('Asia/Tokyo').startOf('day').plus({ days: 14 });
    for (let tries = 0; ; tries += 1, day = day.plus({ days: 1 })) {
      if (tries > 60) throw new Error('no open day in the two months ahead');
      const [calendarDay] = await (await fetch(`http://127.0.0.1:${port}/api/v1/calendar?from=${day.toISODate()}&to=${day.toISODate()}`)).json() as { closed: boolean; open: string; close: string }[];
      if (calendarDay && !calendarDay.closed && calendarDay.open <= '10:00' && calendarDay.close >= '16:00') break;
    }
    const date = day.toFormat('yyyy-MM-dd');
    const month = day.toFormat('yyyy-MM');

    const bookings = await Promise.all(spaces.map((space, i) => inFlight('POST', '/api/v1/bookings', JSON.stringify({
      space, start: `${date}T${10 + i}:00`, end: `${date}T${12 + i}:00`, purpose: `終了前の予約 ${i + 1}`, attendees: 4,
      walkIn: { name: `来館者 ${i + 1}`, phone: '090-1234-5678' },
    }))));
    const reports = await Promise.all([
      inFlight('GET', `/reports/monthly/${month}.pdf`),
      inFlight('GET', `/reports/monthly/${month}.csv`),
    ]);

    const signalled = Date.now();
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 400));

    // Closing: the listening socket is gone, so a new client is refused…
    const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'answered', (e: { cause?: { code?: string } }) => e.cause?.code ?? 'error');
    expect(refused).toBe('ECONNREFUSED');
    // …while the process waits for the requests it had already begun.
    expect(child.exitCode).toBeNull();

    for (const r of [...bookings, ...reports]) r.finish();
    const answers = await Promise.all(bookings.map((b) => b.done));
    const files = await Promise.all(reports.map((r) => r.done));
    const exit = await exited;

    expect(answers.map((a) => a.status), answers.map((a) => a.body.toString()).join('\n')).toEqual(spaces.map(() => 201));
    expect(files.map((f) => f.status)).toEqual([200, 200]);
    expect(files[0]!.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(files[0]!.body.subarray(-8).toString()).toContain('%%EOF');
    expect(files[1]!.body.toString()).toMatch(/^\uFEFF/);

    expect({ code: exit.code, signal: exit.signal }, stderr).toEqual({ code: 0, signal: null });
    // Promptly: the wait above was the only thing keeping it.
    expect(exit.at - signalled).toBeLessThan(5_000);
    // A clean close checkpoints the WAL into the file and removes it; the pid file goes too.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect(existsSync(`${dbPath}.pid`)).toBe(false);

    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const find = db.prepare('SELECT b.purpose, b.status, s.slug AS space FROM bookings b JOIN spaces s ON s.id = b.space_id WHERE b.id = ?');
      for (const [i, a] of answers.entries()) {
        const booking = JSON.parse(a.body.toString()) as { id: number; status: string };
        expect(find.get(booking.id)).toEqual({ purpose: `終了前の予約 ${i + 1}`, status: booking.status, space: spaces[i] });
      }
      expect((db.prepare('SELECT count(*) AS n FROM bookings').get() as { n: number }).n).toBe(spaces.length);
    } finally {
      db.close();
    }
  });
});
