import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RedisOptions } from 'ioredis';
import type request from 'supertest';

/** The library's store timeout in the fault tests: short, so they stay fast. */
export const STORE_TIMEOUT_MS = 1000;

/** Issue #9's target: during a fault every request answers within `storeTimeoutMs` + 1 s. */
export const ANSWER_BOUND_MS = STORE_TIMEOUT_MS + 1000;

/**
 * The fail-fast ioredis options the README recommends, with test-sized timeouts (the README's are
 * sized for production: a command timeout below `storeTimeoutMs`).
 */
export const FAIL_FAST: RedisOptions = { commandTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 500 };

export interface TimedAnswer {
  label: string;
  /** 0 when no answer came at all (supertest gave up at three times the bound). */
  status: number;
  ms: number;
  res: request.Response | undefined;
}

/** Sends one request and measures how long its answer took. A hang fails clearly, not at jest's timeout. */
export async function timed(label: string, test: request.Test): Promise<TimedAnswer> {
  const started = performance.now();
  try {
    const res = await test.timeout(ANSWER_BOUND_MS * 3);
    return { label, status: res.status, ms: Math.round(performance.now() - started), res };
  } catch {
    return { label, status: 0, ms: Math.round(performance.now() - started), res: undefined };
  }
}

/** Each answer as the assertions compare it: its status and whether it came within the bound. */
export function outcomes(answers: TimedAnswer[]): Array<{ label: string; status: number; withinBound: boolean }> {
  return answers.map(({ label, status, ms }) => ({ label, status, withinBound: ms < ANSWER_BOUND_MS }));
}

/** Asserts the "try again" answer: a 503 with Retry-After, as a page for browsers and JSON for JSON clients. */
export function expectTryAgain(answer: TimedAnswer): void {
  const res = answer.res;
  expect({ label: answer.label, status: res?.status }).toEqual({ label: answer.label, status: 503 });
  expect(res!.headers['retry-after']).toBe('30');
  if (String(res!.headers['content-type']).startsWith('application/json')) {
    expect(res!.body).toEqual({ error: 'temporarily_unavailable', message: expect.stringContaining('try again') });
  } else {
    expect(res!.headers['content-type']).toMatch(/^text\/html/);
    expect(res!.text).toContain('try again');
  }
}

const timings: Record<string, Record<string, number>> = {};

/**
 * Keeps the measured answer times of a scenario for the closing note of issue #9; `saveTimings` writes
 * them to test-artifacts/ (not asserted beyond the bound: the machine's load decides the rest).
 */
export function recordTimings(scenario: string, answers: TimedAnswer[]): void {
  timings[scenario] = { ...timings[scenario], ...Object.fromEntries(answers.map((a) => [`${a.label} (${a.status})`, a.ms])) };
}

export async function saveTimings(file: string): Promise<void> {
  const dir = join(__dirname, '..', '..', 'test-artifacts');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, file), `${JSON.stringify(timings, null, 2)}\n`);
}

/** Polls `attempt` until it returns true, every 100 ms, for at most `withinMs`. Resolves how long it took. */
export async function eventually(withinMs: number, attempt: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await attempt()) return Math.round(performance.now() - started);
    if (performance.now() - started > withinMs) throw new Error(`still failing after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
