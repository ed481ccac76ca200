/**
 * Fault injection for the embedded LMO: the failures a real org shows under load or
 * misconfiguration, made reproducible for tests and benchmarks.
 */

export interface FaultOptions {
  /** Added to every API request before it is answered. */
  latencyMs?: number;
  /** Share (0..1) of API requests answered 503 SERVER_UNAVAILABLE. */
  unavailableRate?: number;
  /** Share (0..1) of API requests never answered (until the server closes). */
  hangRate?: number;
  /** Every API call → 403 REQUEST_LIMIT_EXCEEDED, as when the org's daily allocation is spent. */
  requestLimitExceeded?: boolean;
  /** Injectable for deterministic tests; Math.random by default. */
  random?: () => number;
}

/** What the server does with one API request instead of (or before) answering it. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'hang' }
  | { kind: 'error'; status: number; errorCode: string; message: string };

/**
 * Decides the fault for one request. Each share draws its own random number, hang first,
 * so a test can pick the outcome by the sequence its `random` returns.
 */
export function decideFault(faults: FaultOptions): FaultDecision {
  const random = faults.random ?? Math.random;
  if (faults.requestLimitExceeded) {
    return {
      kind: 'error',
      status: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    };
  }
  if (faults.hangRate && random() < faults.hangRate) return { kind: 'hang' };
  if (faults.unavailableRate && random() < faults.unavailableRate) {
    return {
      kind: 'error',
      status: 503,
      errorCode: 'SERVER_UNAVAILABLE',
      message: 'Server temporarily unavailable, please try again later.',
    };
  }
  return { kind: 'none' };
}

export const delay = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
