/**
 * Preloaded into the compiled bot beside exit-with-parent.js, answering the benchmark over IPC: its event-loop delay
 * (monitorEventLoopDelay, 1 ms resolution) over one phase — `start` begins a fresh histogram, `read` ends it and
 * answers its percentiles in ms; off between phases, so its timer costs the other figures nothing — and where its
 * memory is (`memory`: process.memoryUsage()), so an RSS figure can be explained; and its CPU time so far (`cpu`:
 * process.cpuUsage(), all its threads, to the microsecond: /proc counts in 10 ms ticks).
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

export interface MemoryUsage {
  type: 'memory';
  /** MB each: resident, V8 heap used and reserved, C++ objects tied to JS (external), of which array buffers. */
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
}

export interface CpuTime {
  type: 'cpu';
  /** User and system CPU of the whole process since it started, ms. */
  ms: number;
}

let histogram: IntervalHistogram | undefined;
const ms = (ns: number) => ns / 1e6;

const mb = (bytes: number) => bytes / 1024 ** 2;

process.on('message', (message: Partial<LoopDelayRequest> | { type?: 'memory' | 'cpu' }) => {
  if (message?.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    const reply: CpuTime = { type: 'cpu', ms: (user + system) / 1000 };
    process.send?.(reply);
    return;
  }
  if (message?.type === 'memory') {
    const m = process.memoryUsage();
    const reply: MemoryUsage = {
      type: 'memory',
      rssMb: mb(m.rss),
      heapUsedMb: mb(m.heapUsed),
      heapTotalMb: mb(m.heapTotal),
      externalMb: mb(m.external),
      arrayBuffersMb: mb(m.arrayBuffers),
    };
    process.send?.(reply);
    return;
  }
  if (message?.type !== 'loop-delay') return;
  if ((message as LoopDelayRequest).action === 'start') {
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
