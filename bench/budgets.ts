/** The Salesforce call budgets the benchmark holds answers to (its --help lists them, targets.ts judges them). */
/** Salesforce calls a seat-health list may make: over their seats and at risk 2 each, hot trials 1 (issue #16). */
export const HEALTH_LIST_BUDGET = { over: 2, risk: 2, hot: 1 };

/**
 * Salesforce calls an answer may make (the issue's targets): status 1, a list ≤ 2 (rows + one aggregate), `/lma
 * health` its three lists' (≤ 2 each), Home ≤ 3.
 */
export const CALL_BUDGET: Record<string, number> = {
  status: 1,
  trials: 2,
  renewals: 2,
  conversions: 2,
  health: HEALTH_LIST_BUDGET.over + HEALTH_LIST_BUDGET.risk + HEALTH_LIST_BUDGET.hot,
  Home: 3,
};
