/** The doctor's report three ways: lines for a terminal, JSON for scripts, Block Kit for `/lma doctor`. */
import { context, escapeEntities, header, type SlackView, section, truncate } from '../../slack/blocks.js';
import type { DoctorReport, Finding, Status } from './types.js';

const MARK: Record<Status, string> = { ok: '✓', warn: '⚠', fail: '✗' };
const EMOJI: Record<Status, string> = { ok: ':white_check_mark:', warn: ':warning:', fail: ':x:' };

/** One line per finding, the fix indented under each ⚠ and ✗, and a last line that sums it up. */
export function reportLines(report: DoctorReport): string[] {
  const lines: string[] = [];
  let section: string | undefined;
  for (const f of report.findings) {
    if (f.section !== section) {
      section = f.section;
      lines.push(section);
    }
    lines.push(`  ${MARK[f.status]} ${f.check}: ${f.found}`);
    if (f.fix) lines.push(`      fix: ${f.fix}`);
  }
  lines.push(summary(report));
  return lines;
}

export function reportJson(report: DoctorReport): string {
  return JSON.stringify(report, null, 2);
}

function summary(report: DoctorReport): string {
  const count = (status: Status) => report.findings.filter((f) => f.status === status).length;
  const [fails, warns] = [count('fail'), count('warn')];
  if (fails > 0)
    return `${fails} to fix (✗), ${warns} to look at (⚠): the bot will not work fully until each ✗ is fixed.`;
  return warns > 0 ? `Nothing to fix; ${warns} to look at (⚠).` : 'Everything the bot needs is in place.';
}

/** Slack shows at most 50 blocks; a section's text at most 3,000 characters. */
const MAX_FINDING_BLOCKS = 45;

export function reportView(report: DoctorReport): SlackView {
  const line = (f: Finding) =>
    truncate(
      `${EMOJI[f.status]} *${escapeEntities(f.check)}*: ${escapeEntities(f.found)}${f.fix ? `\n_Fix:_ ${escapeEntities(f.fix)}` : ''}`,
      2900,
    );
  return {
    text: [`LMA Bot doctor: ${summary(report)}`, ...reportLines(report).slice(0, -1)].join('\n'),
    blocks: [
      header('LMA Bot doctor'),
      ...report.findings.slice(0, MAX_FINDING_BLOCKS).map((f) => section(line(f))),
      context(escapeEntities(summary(report))),
    ],
  };
}
