/**
 * `npm run doctor [-- --json]`: checks everything the bot needs, in order, one line per check (✓, ⚠ or ✗, what was
 * found, and the fix for each ⚠/✗); exits 0 when nothing is ✗, 1 otherwise. The same checks as `/lma doctor`.
 */
import 'dotenv/config';
import { cliDoctorContext } from './app/doctor-context.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { runDoctor } from './features/doctor/checks.js';
import { reportJson, reportLines } from './features/doctor/report.js';

async function main(): Promise<number> {
  const json = process.argv.includes('--json');
  let config: Config | undefined;
  let problems: string[] = [];
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems = error.problems;
  }
  const doctor = cliDoctorContext(config, problems);
  try {
    const report = await runDoctor(doctor.ctx);
    process.stdout.write(`${json ? reportJson(report) : reportLines(report).join('\n')}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await doctor.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm run doctor failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
