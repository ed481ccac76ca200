/**
 * The bot's own metrics registry: the default process_/nodejs_ metrics beside the bot's, and event-loop delay sampled
 * at EVENT_LOOP_SAMPLE_MS, so an idle bot is not woken 100 times a second to measure it.
 */
import { describe, expect, it } from 'vitest';
import { createMetrics, EVENT_LOOP_SAMPLE_MS } from '../src/metrics.js';

const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

describe('bot metrics', () => {
  it('samples event-loop delay every EVENT_LOOP_SAMPLE_MS: no two samples closer together', async () => {
    const metrics = createMetrics({ timezone: 'UTC', clock: () => new Date() });
    await metrics.text(); // resets the histogram: the samples from here on
    await new Promise((resolve) => setTimeout(resolve, 3.5 * EVENT_LOOP_SAMPLE_MS));
    const text = await metrics.text();
    // A sample is the time between two of the histogram's timer runs: about its resolution, a little less after a run
    // that came late (98.5 ms in a CI run on a loaded machine). Half the interval still tells it from prom-client's 10.
    expect(gauge(text, 'nodejs_eventloop_lag_min_seconds')).toBeGreaterThan(EVENT_LOOP_SAMPLE_MS / 2 / 1000);
    expect(text).toContain('lma_answers_total');
  });
});
