/**
 * Preloaded into the compiled bot beside exit-with-parent.js: its event-loop delay (monitorEventLoopDelay, 1 ms
 * resolution) over one phase of the benchmark, on request over IPC — `start` begins a fresh histogram, `read` ends it
 * and answers its percentiles in ms. Off between phases, so its timer costs the other figures nothing.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopDelayRequest {
  type: 'loop-delay';
  action: 'start' | 'read';
}

export interface LoopDelay {
  type: 'loop-delay';
  p50: number;
  p99: number;
  max: number;
  /** Delay samples taken (one per ms of the phase, about). */
  samples: number;
}

let histogram: IntervalHistogram | undefined;
const ms = (ns: number) => ns / 1e6;

process.on('message', (message: Partial<LoopDelayRequest>) => {
  if (message?.type !== 'loop-delay') return;
  if (message.action === 'start') {
    histogram?.disable();
    histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    return;
  }
  const h = histogram;
  h?.disable();
  histogram = undefined;
  const reply: LoopDelay = {
    type: 'loop-delay',
    p50: h ? ms(h.percentile(50)) : NaN,
    p99: h ? ms(h.percentile(99)) : NaN,
    max: h ? ms(h.max) : NaN,
    samples: h?.count ?? 0,
  };
  process.send?.(reply);
});
