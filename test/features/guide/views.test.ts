import { describe, expect, test } from 'vitest';
import { type GuideInput, type GuideState, startGuide, step } from '../../../src/features/guide/machine.js';
import { STAGES } from '../../../src/features/guide/steps.js';
import {
  guideButtonValue,
  guideNoteView,
  guideView,
  orgCheckView,
  parseGuideButtonValue,
  summaryView,
} from '../../../src/features/guide/views.js';
import { LmoError } from '../../../src/lma/client.js';
import { blockText } from '../../support/harness.js';

const AT = new Date('2026-06-15T10:00:00Z');
const THREAD = '1781517600.000100';

function walk(inputs: GuideInput[]): GuideState {
  return inputs.reduce(
    (state, input) => step(state, input, { user: 'U0ALICE', at: AT }).state,
    startGuide('U0ALICE', AT),
  );
}
const done: GuideInput = { kind: 'command', command: 'done' };
const understood: GuideInput = { kind: 'command', command: 'understood' };
const skip: GuideInput = { kind: 'command', command: 'skip' };

describe('guide views', () => {
  test('the guide is a checklist with ticks, the current stage expanded and buttons carrying thread and stage', () => {
    const state = walk([{ kind: 'org', name: 'Acme Production' }, done, understood, understood, skip]);
    const view = guideView(state, THREAD, 'UTC');
    expect(view.text).toBe('LMA install guide: step 5 of 8 (Open the installation link in the LMO)');
    const text = blockText(view.blocks);
    expect(text).toContain(':white_check_mark: 1. Choose the License Management Org (LMO): *Acme Production*');
    expect(text).toContain(':fast_forward: 4. Ask Salesforce for the LMA');
    expect(text).toContain(':point_right: *5. Open the installation link in the LMO*');
    expect(text).toContain(':white_large_square: 8. Check the LMA is installed');
    const buttons = JSON.stringify(view.blocks);
    expect(buttons).toContain(`"value":"${THREAD}:4"`);
    expect(guideButtonValue(THREAD, 4)).toBe('1781517600.000100:4');
    expect(parseGuideButtonValue('1781517600.000100:4')).toEqual({ threadTs: THREAD, stage: 4 });
    expect(parseGuideButtonValue('junk')).toBeUndefined();
  });

  test('a warning stage offers "I understand" instead of Done', () => {
    const view = guideView(walk([{ kind: 'org', name: 'Acme' }, done]), THREAD, 'UTC');
    const ids = JSON.stringify(view.blocks).match(/"action_id":"[a-z_]+"/g);
    expect(ids).toEqual([
      '"action_id":"guide_understood"',
      '"action_id":"guide_back"',
      '"action_id":"guide_stuck"',
      '"action_id":"guide_cancel"',
    ]);
  });

  test('a finished or cancelled guide shows no buttons and who ended it', () => {
    const cancelled = step(
      startGuide('U0ALICE', AT),
      { kind: 'command', command: 'cancel' },
      { user: 'U0BOB', at: AT },
    ).state;
    const view = guideView(cancelled, THREAD, 'UTC');
    expect(JSON.stringify(view.blocks)).not.toContain('action_id');
    expect(blockText(view.blocks)).toContain('Cancelled by <@U0BOB> on');
  });

  test('names typed by users are shown as text, never as mentions or formatting', () => {
    const state = walk([{ kind: 'org', name: '<!channel> *Evil* Org' }]);
    const all = [
      guideView(state, THREAD, 'UTC'),
      guideNoteView({ kind: 'org-noted' }, state, 'UTC'),
      summaryView(state, 'UTC'),
    ]
      .map((v) => JSON.stringify(v))
      .join();
    expect(all).not.toContain('<!channel>');
    expect(all).toContain('&lt;!channel&gt; ∗Evil∗ Org');
  });

  test('the summary lists every stage with who and when, the LMO and the next steps', () => {
    const state = walk([{ kind: 'org', name: 'Acme' }, done, understood, understood, done, skip, done, done, done]);
    expect(state.status).toBe('finished');
    const text = blockText(summaryView(state, 'UTC').blocks);
    for (const [i, s] of STAGES.entries()) expect(text).toContain(`${i + 1}. ${s.title}:`);
    expect(text).toContain('5. Open the installation link in the LMO: skipped by <@U0ALICE> on');
    expect(text).toContain('Register your managed package');
  });

  test('the org check: installed with counts, absent, or a failure that says what to do', () => {
    expect(orgCheckView({ kind: 'installed', packages: 0, licenses: 0 }, 'Demo').text).toContain(
      '0 packages and 0 licenses. Next: register your package',
    );
    expect(orgCheckView({ kind: 'installed', packages: 1, licenses: 12 }, 'Demo').text).toContain(
      '1 package and 12 licenses.',
    );
    expect(orgCheckView({ kind: 'absent' }, 'Demo').text).toContain('no License Management App in Demo');
    const failed = orgCheckView(
      { kind: 'failed', error: new LmoError('auth', 'expired', 'INVALID_SESSION_ID') },
      'Demo',
    );
    expect(failed.text).toContain('I could not check the org.');
    expect(failed.text).toContain('re-authenticate');
  });

  test('help gives the stage’s tip and the Partner Community support path', () => {
    const help = guideNoteView({ kind: 'help' }, startGuide('U0ALICE', AT), 'UTC').text;
    expect(help).toContain('CRM for ISVs');
    expect(help).toContain('AppExchange and Feature Requests › License Management App');
  });
});
