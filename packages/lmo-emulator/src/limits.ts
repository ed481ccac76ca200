/**
 * `GET /limits`: the org limits Salesforce reports, each `{ Max, Remaining }`. Daily API requests are counted for real
 * (every API call this LMO answers spends one); the others are an Enterprise Edition org's allocations, untouched,
 * since nothing here spends them. The names are those the REST API uses, which `sf limits api display` and jsforce's
 * `limits()` show as they come.
 */

export const DAILY_API_REQUESTS_MAX = 15_000;

/** Enterprise Edition allocations, by the names /limits uses. */
const UNSPENT_LIMITS: Record<string, number> = {
  ActiveScratchOrgs: 0,
  ConcurrentAsyncGetReportInstances: 200,
  ConcurrentSyncReportRuns: 20,
  DailyAsyncApexExecutions: 250_000,
  DailyBulkApiBatches: 15_000,
  DailyBulkV2QueryFileStorageMB: 976_562,
  DailyBulkV2QueryJobs: 10_000,
  DailyDurableGenericStreamingApiEvents: 10_000,
  DailyDurableStreamingApiEvents: 10_000,
  DailyGenericStreamingApiEvents: 10_000,
  DailyScratchOrgs: 0,
  DailyStandardVolumePlatformEvents: 10_000,
  DailyStreamingApiEvents: 10_000,
  DailyWorkflowEmails: 1_000,
  DataStorageMB: 10_240,
  DurableStreamingApiConcurrentClients: 20,
  FileStorageMB: 10_240,
  HourlyAsyncReportRuns: 1_200,
  HourlyDashboardRefreshes: 200,
  HourlyDashboardResults: 5_000,
  HourlyDashboardStatuses: 999_999_999,
  HourlyODataCallout: 10_000,
  HourlySyncReportRuns: 500,
  HourlyTimeBasedWorkflow: 50,
  MassEmail: 5_000,
  PermissionSets: 1_500,
  SingleEmail: 5_000,
  StreamingApiConcurrentClients: 20,
};

/** The limits answer, with the daily API requests left. */
export function orgLimits(dailyApiRemaining: number): Record<string, { Max: number; Remaining: number }> {
  const answer: Record<string, { Max: number; Remaining: number }> = {
    DailyApiRequests: { Max: DAILY_API_REQUESTS_MAX, Remaining: Math.max(0, dailyApiRemaining) },
  };
  for (const [name, max] of Object.entries(UNSPENT_LIMITS)) answer[name] = { Max: max, Remaining: max };
  return answer;
}
