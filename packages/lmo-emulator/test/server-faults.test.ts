import { Connection, OAuth2 } from 'jsforce';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EmulatorHandle } from '../src/server.js';
import { startEmulator } from '../src/server.js';
import { orgFixture } from './support/org-fixture.js';

/** jsforce would retry 5xx and network errors itself; these tests look at single answers. */
const once = { retry: { maxRetries: 0 } } as object;

/** A `random` that returns the given numbers in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe('fault injection', () => {
  let handle: EmulatorHandle;
  let conn: Connection;
  const limits = () => conn.request<{ DailyApiRequests: { Remaining: number } }>('/limits', once);

  beforeEach(async () => {
    handle = await startEmulator({ data: orgFixture() });
    conn = new Connection({ instanceUrl: handle.url, accessToken: handle.accessToken, version: handle.apiVersion });
  });
  afterEach(() => handle.close());

  it('answers the configured share with 503 SERVER_UNAVAILABLE, decided by `random`', async () => {
    handle.setFaults({ unavailableRate: 0.5, random: sequence(0.9, 0.1) });
    await expect(limits()).resolves.toBeDefined();
    await expect(limits()).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
    expect(handle.log.map((e) => e.status)).toEqual([200, 503]);
    expect(handle.apiCallCount()).toBe(1);
  });

  it('lets jsforce retry through a 503 with its own backoff', async () => {
    handle.setFaults({ unavailableRate: 0.5, random: sequence(0.1, 0.9) });
    await expect(conn.request('/limits')).resolves.toBeDefined();
    expect(handle.log.map((e) => e.status)).toEqual([503, 200]);
  });

  it('answers every API call with 403 REQUEST_LIMIT_EXCEEDED while the limit is on, but still issues tokens', async () => {
    handle.setFaults({ requestLimitExceeded: true });
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
    expect(handle.log.at(-1)?.status).toBe(403);
    const { clientId, clientSecret } = handle.credentials;
    const token = await new OAuth2({ loginUrl: handle.url, clientId, clientSecret }).requestToken({
      grant_type: 'client_credentials',
    });
    expect(token.access_token).toBeTruthy();
    handle.setFaults({});
    await expect(conn.query('SELECT Id FROM Account')).resolves.toMatchObject({ totalSize: 2 });
  });

  it('leaves the hang share unanswered until the server closes', async () => {
    handle.setFaults({ hangRate: 1 });
    const pending = conn.request('/limits', once);
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await vi.waitFor(() => expect(handle.log).toHaveLength(1));
    expect(handle.log[0]).toMatchObject({ path: '/services/data/v62.0/limits', status: 0 });
    await handle.close();
    expect(await outcome).toBe('failed');
  });

  it('adds latency before answering: the request waits the whole delay, then is answered', async () => {
    // Only the server's delay runs on the fake clock; sockets use Node's internal timers.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      handle.setFaults({ latencyMs: 60_000 });
      const answered = limits();
      for (let turn = 0; handle.log.length === 0 && turn < 10_000; turn++) await new Promise(setImmediate);
      expect(handle.log).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(59_999);
      expect(handle.log[0].status).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      await expect(answered).resolves.toMatchObject({ DailyApiRequests: { Remaining: expect.any(Number) } });
      expect(handle.log[0].status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('injects faults on the API paths only', async () => {
    handle.setFaults({ unavailableRate: 1, requestLimitExceeded: false });
    await expect(conn.request('/services/data/')).resolves.toBeDefined();
    await expect(conn.request('/limits', once)).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
  });
});
