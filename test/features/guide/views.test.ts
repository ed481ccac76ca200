import { describe, expect, test } from 'vitest';
import { type GuideInput, type GuideState, type Note, startGuide, step } from '../../../src/features/guide/machine.js';
import { STAGES } from '../../../src/features/guide/steps.js';
import {
  guideButtonValue,
  guideGoneView,
  guideNoteView,
  guideParentView,
  guideView,
  notInChannelView,
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

/** Guide states built by hand: the stage, status and who confirmed what, nothing the machine decides. */
const stamp = (user: string, at = '2026-06-15T10:00:00.000Z') => ({ user, at });
const guide = (o: Partial<GuideState> = {}): GuideState => ({
  stage: 0,
  status: 'active',
  started: stamp('U0ALICE'),
  confirmations: {},
  history: [],
  ...o,
});
const PARIS = 'Europe/Paris';
type Element = { type: string; text?: { text: string } | string; action_id?: string; value?: string; style?: string };
type AnyBlock = { type: string; block_id?: string; text?: { text: string }; elements?: Element[] };
const texts = (blocks: unknown[]) =>
  (blocks as AnyBlock[]).map((b) =>
    b.type === 'actions'
      ? b.elements?.map((e) => (e.text as { text: string }).text).join(' | ')
      : (b.text?.text ?? b.elements?.map((e) => e.text).join(' | ')),
  );
const TITLES = [
  'Choose the License Management Org (LMO)',
  'Confirm: the LMO choice is permanent',
  'Confirm: the LMA cannot be uninstalled by you',
  'Ask Salesforce for the LMA',
  'Open the installation link in the LMO',
  'Start the installation',
  'Finish the installation',
  'Check the LMA is installed',
];

describe('the guide message', () => {
  test('a button value is read back only when it is a thread ts and a stage, nothing before or after', () => {
    expect(parseGuideButtonValue('1781517600.000100:12')).toEqual({ threadTs: THREAD, stage: 12 });
    expect(parseGuideButtonValue('x1781517600.000100:4')).toBeUndefined();
    expect(parseGuideButtonValue('1781517600.000100:4x')).toBeUndefined();
    expect(parseGuideButtonValue('1781517600:4')).toBeUndefined();
    expect(parseGuideButtonValue(undefined)).toBeUndefined();
  });

  test('the parent message names who started it and how to move the guide on', () => {
    expect(guideParentView('U0BOB')).toEqual({
      text: 'LMA install guide started by <@U0BOB>',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: ':package: *LMA install guide started by <@U0BOB>*\nFollow along in the thread: anyone here can move it forward with the buttons or by replying `done`, `back`, `skip`, `help`…',
          },
        },
      ],
    });
  });

  test('a warning stage: the checklist, the stage spelled out, its buttons and the replies it takes', () => {
    const state = guide({
      stage: 1,
      lmo: { ...stamp('U0BOB'), name: 'Acme *Prod*' },
      confirmations: { 'choose-lmo': { ...stamp('U0BOB'), how: 'done' } },
    });
    const view = guideView(state, THREAD, PARIS);
    expect(view.text).toBe('LMA install guide: step 2 of 8 (Confirm: the LMO choice is permanent)');
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section', 'actions', 'context']);
    const [title, progress, checklist, current, buttons, replies] = texts(view.blocks);
    expect(title).toBe('Install the License Management App');
    expect(progress).toBe('Progress: *step 2 of 8*');
    expect(checklist?.split('\n')).toEqual([
      `:white_check_mark: 1. ${TITLES[0]}: *Acme ∗Prod∗* · <@U0BOB>`,
      `:point_right: *2. ${TITLES[1]}*`,
      ...TITLES.slice(2).map((t, i) => `:white_large_square: ${i + 3}. ${t}`),
    ]);
    expect(current).toBe(
      `*2. ${TITLES[1]}*\n${STAGES[1].todo.map((line) => `• ${line}`).join('\n')}\n_Why:_ ${STAGES[1].why}`,
    );
    expect(buttons).toBe('I understand | Back | I’m stuck | Cancel');
    const block = view.blocks[4] as AnyBlock;
    expect(block.block_id).toBe('guide_buttons');
    expect(block.elements?.map((e) => [e.action_id, e.value, e.style])).toEqual([
      ['guide_understood', `${THREAD}:1`, 'danger'],
      ['guide_back', `${THREAD}:1`, undefined],
      ['guide_stuck', `${THREAD}:1`, undefined],
      ['guide_cancel', `${THREAD}:1`, undefined],
    ]);
    expect(replies).toBe('Or reply here: `done`, `back`, `skip`, `where am I`, `help`, `check`, `restart`, `cancel`.');
  });

  test('a task stage offers Done / Next as the primary button; the org is named on the decision stage only', () => {
    const state = guide({
      stage: 0,
      lmo: { ...stamp('U0BOB'), name: 'Acme' },
    });
    const view = guideView(state, THREAD, 'UTC');
    const checklist = texts(view.blocks)[2]?.split('\n');
    expect(checklist?.slice(0, 2)).toEqual([
      `:point_right: *1. ${TITLES[0]}*: *Acme*`,
      `:white_large_square: 2. ${TITLES[1]}`,
    ]);
    const proceed = (view.blocks[4] as AnyBlock).elements?.[0] as Element;
    expect([(proceed.text as { text: string }).text, proceed.action_id, proceed.style]).toEqual([
      'Done / Next',
      'guide_done',
      'primary',
    ]);
    expect(guideView(guide({ stage: 3 }), THREAD, 'UTC').text).toBe(
      'LMA install guide: step 4 of 8 (Ask Salesforce for the LMA)',
    );
  });

  test('finished: every step passed, who finished it and when, in the guide’s time zone, no buttons', () => {
    const confirmations = Object.fromEntries(
      STAGES.map((s, i) => [s.id, { ...stamp('U0BOB'), how: i === 3 ? ('skipped' as const) : ('done' as const) }]),
    );
    const state = guide({ stage: 7, status: 'finished', confirmations, ended: stamp('U0CAROL') });
    const view = guideView(state, THREAD, PARIS);
    expect(view.text).toBe('LMA install guide: finished, all 8 steps');
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'context']);
    const [, progress, checklist, ended] = texts(view.blocks);
    expect(progress).toBe('Progress: *finished, all 8 steps*');
    expect(checklist?.split('\n')[3]).toBe(`:fast_forward: 4. ${TITLES[3]} · <@U0BOB>`);
    expect(checklist?.split('\n')[7]).toBe(`:white_check_mark: 8. ${TITLES[7]} · <@U0BOB>`);
    expect(ended).toBe(
      'Finished by <@U0CAROL> on 15 Jun 2026, 12:00 (Europe/Paris). Type `restart` in this thread to go through it again.',
    );
  });

  test('cancelled: where it stopped, the stage not pointed at; without a stamp, no line saying who', () => {
    const state = guide({ stage: 2, status: 'cancelled', ended: stamp('U0BOB') });
    const view = guideView(state, THREAD, 'UTC');
    expect(view.text).toBe('LMA install guide: cancelled at step 3 of 8');
    const [, progress, checklist, ended] = texts(view.blocks);
    expect(progress).toBe('Progress: *cancelled at step 3 of 8*');
    expect(checklist?.split('\n')[2]).toBe(`:white_large_square: 3. ${TITLES[2]}`);
    expect(ended).toBe(
      'Cancelled by <@U0BOB> on 15 Jun 2026, 10:00 (UTC). Type `restart` in this thread to go through it again.',
    );
    const unstamped = guideView(guide({ stage: 2, status: 'cancelled' }), THREAD, 'UTC');
    expect(unstamped.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section']);
  });

  test('a guide that is gone, and a channel the bot is not in', () => {
    const gone =
      'This install guide no longer exists: guides are cleaned up after 30 days without activity. Run `/lma install` to start a new one.';
    expect(guideGoneView()).toEqual({
      text: gone,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:hourglass: ${gone}` } }],
    });
    const outside =
      'I am not a member of this channel, so I cannot start the guide here. Invite me with `/invite @LMA Bot` (or mention me and accept the prompt), then run `/lma install` again.';
    expect(notInChannelView()).toEqual({
      text: outside,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:wave: ${outside}` } }],
    });
  });
});

describe('what the bot says in the thread', () => {
  const say = (note: Note, state: GuideState = guide()) => {
    const view = guideNoteView(note, state, 'UTC');
    expect(view.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: view.text } }]);
    return view.text;
  };
  const confirm = 'This step needs an explicit confirmation: click *I understand* or type `I understand`.';
  const nameIt =
    'Reply with the name of the org that will be the LMO (for example `LMO: Acme Production`), then click *Done*.';

  test('a hint fits the stage: name the org, confirm a warning, or the replies understood', () => {
    expect(say({ kind: 'hint' })).toBe(`:thinking_face: ${nameIt}`);
    expect(say({ kind: 'hint' }, guide({ stage: 2 }))).toBe(`:thinking_face: ${confirm}`);
    expect(say({ kind: 'hint' }, guide({ stage: 4 }))).toBe(
      ':thinking_face: I did not get that. Reply `done`, `back`, `skip`, `where am I`, `help`, `check`, `restart` or `cancel`.',
    );
  });

  test('where am I: the step, how many passed and the LMO; or the guide’s status once it ended', () => {
    const confirmations = {
      'choose-lmo': { ...stamp('U0BOB'), how: 'done' as const },
      'lmo-is-permanent': { ...stamp('U0BOB'), how: 'understood' as const },
    };
    const lmo = { ...stamp('U0BOB'), name: 'Acme_Prod' };
    expect(say({ kind: 'where' }, guide({ stage: 2, confirmations, lmo }))).toBe(
      `:round_pushpin: Step 3 of 8: *${TITLES[2]}* (2 passed). LMO: *Acme＿Prod*.`,
    );
    expect(say({ kind: 'where' }, guide({ stage: 2, confirmations }))).toBe(
      `:round_pushpin: Step 3 of 8: *${TITLES[2]}* (2 passed).`,
    );
    expect(say({ kind: 'where' }, guide({ stage: 2, status: 'cancelled', confirmations, lmo }))).toBe(
      ':round_pushpin: This guide is cancelled (2 of 8 steps passed). LMO: *Acme＿Prod*.',
    );
  });

  test('help: the stage’s tip and where to get support', () => {
    expect(say({ kind: 'help' }, guide({ stage: 4 }))).toBe(
      `:sos: *${TITLES[4]}*: Link expired or lost? Reply to the case and ask for a new one.\nStill stuck? Log a case in the Salesforce Partner Community under *AppExchange and Feature Requests › License Management App*. Salesforce handles LMA installs and moves there.`,
    );
  });

  test('the org named, refused, or still needed', () => {
    expect(say({ kind: 'org-noted' }, guide({ lmo: { ...stamp('U0BOB'), name: '<Acme>' } }))).toBe(
      ':memo: Noted: *&lt;Acme&gt;* will be the LMO. Click *Done* to go on, or reply with another name.',
    );
    expect(say({ kind: 'org-noted' })).toBe(
      ':memo: Noted: ** will be the LMO. Click *Done* to go on, or reply with another name.',
    );
    expect(say({ kind: 'org-refused', name: 'My *Dev* Org' })).toBe(
      ':no_entry: *My ∗Dev∗ Org* sounds like a Developer Edition or packaging org. Never make an org that builds a managed package the LMO: name your production org instead.',
    );
    expect(say({ kind: 'need-org' })).toBe(`:point_up: ${nameIt}`);
    expect(say({ kind: 'need-understood' }, guide({ stage: 1 }))).toBe(`:point_up: ${confirm}`);
  });

  test('a step that cannot be skipped says so, and how to confirm it when it is a warning', () => {
    expect(say({ kind: 'cannot-skip' })).toBe(`:point_up: *${TITLES[0]}* cannot be skipped.`);
    expect(say({ kind: 'cannot-skip' }, guide({ stage: 1 }))).toBe(
      `:point_up: *${TITLES[1]}* cannot be skipped. ${confirm}`,
    );
  });

  test('back at the start, restarted, cancelled, ended, or a button from an earlier view', () => {
    expect(say({ kind: 'at-start' })).toBe(':point_up: This is already the first step.');
    expect(say({ kind: 'restarted', user: 'U0BOB' })).toBe(
      ':arrows_counterclockwise: <@U0BOB> restarted the guide from step 1.',
    );
    expect(say({ kind: 'cancelled', user: 'U0BOB' })).toBe(
      ':no_entry_sign: <@U0BOB> cancelled the guide. Type `restart` here to start over.',
    );
    expect(say({ kind: 'inactive' }, guide({ status: 'finished' }))).toBe(
      'This guide is finished. Type `restart` in its thread to go through it again, or run `/lma install` for a new one.',
    );
    expect(say({ kind: 'stale-step' }, guide({ stage: 5 }))).toBe(
      `That button belongs to an earlier view: the guide is now at step 6 of 8 (*${TITLES[5]}*). Use the buttons on the guide message.`,
    );
  });
});

describe('the summary', () => {
  test('each stage with how and by whom, in the guide’s time zone; the LMO; what to do next; who started and finished', () => {
    const confirmations = {
      'choose-lmo': { ...stamp('U0BOB'), how: 'done' as const },
      'lmo-is-permanent': { ...stamp('U0CAROL', '2026-06-15T11:30:00.000Z'), how: 'understood' as const },
      'file-case': { ...stamp('U0BOB'), how: 'skipped' as const },
    };
    const state = guide({
      stage: 7,
      status: 'finished',
      confirmations,
      lmo: { ...stamp('U0BOB', '2026-06-15T09:00:00.000Z'), name: 'Acme *Prod*' },
      ended: stamp('U0CAROL', '2026-06-16T08:00:00.000Z'),
    });
    const view = guideNoteView({ kind: 'summary' }, state, PARIS);
    expect(view.text).toBe(
      'LMA install guide finished. LMO: Acme ∗Prod∗. Next: register the package, set default license terms, enable field history tracking.',
    );
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    const [title, lmo, lines, next, who] = texts(view.blocks);
    expect(title).toBe('LMA installation: summary');
    expect(lmo).toBe(
      '*License Management Org:* *Acme ∗Prod∗* (named by <@U0BOB> on 15 Jun 2026, 11:00 (Europe/Paris))',
    );
    expect(lines?.split('\n')).toEqual([
      `:white_check_mark: 1. ${TITLES[0]}: done by <@U0BOB> on 15 Jun 2026, 12:00 (Europe/Paris)`,
      `:white_check_mark: 2. ${TITLES[1]}: understood by <@U0CAROL> on 15 Jun 2026, 13:30 (Europe/Paris)`,
      `:white_large_square: 3. ${TITLES[2]}: not confirmed`,
      `:fast_forward: 4. ${TITLES[3]}: skipped by <@U0BOB> on 15 Jun 2026, 12:00 (Europe/Paris)`,
      ...TITLES.slice(4).map((t, i) => `:white_large_square: ${i + 5}. ${t}: not confirmed`),
    ]);
    expect(next).toBe(
      [
        '*What to do next*',
        '1. Register your managed package with this LMO (from the Partner Console, link the package to this org).',
        '2. Set the package’s default license terms (trial length, seats, site-wide or per user).',
        '3. Turn on field history tracking for the License object’s *Status*, *Seats* and *Expiration* fields, so conversions and changes can be reported.',
      ].join('\n'),
    );
    expect(who).toBe(
      'Started by <@U0ALICE> on 15 Jun 2026, 12:00 (Europe/Paris) · finished by <@U0CAROL> on 16 Jun 2026, 10:00 (Europe/Paris)',
    );
  });

  test('no LMO named and no end stamp', () => {
    const view = summaryView(guide(), 'UTC');
    expect(view.text).toBe(
      'LMA install guide finished. LMO: not named. Next: register the package, set default license terms, enable field history tracking.',
    );
    const [, lmo, , , who] = texts(view.blocks);
    expect(lmo).toBe('*License Management Org:* _not named_');
    expect(who).toBe('Started by <@U0ALICE> on 15 Jun 2026, 10:00 (UTC)');
  });
});

describe('the org check', () => {
  test('installed, with the counts; no package yet: what to do next; the org named, escaped', () => {
    const none = orgCheckView({ kind: 'installed', packages: 0, licenses: 0 }, 'Acme <Prod>');
    const text =
      ':white_check_mark: The License Management App is installed in Acme &lt;Prod&gt;: it holds 0 packages and 0 licenses. Next: register your package with this LMO.';
    expect(none).toEqual({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
    expect(orgCheckView({ kind: 'installed', packages: 2, licenses: 1 }, 'Demo').text).toBe(
      ':white_check_mark: The License Management App is installed in Demo: it holds 2 packages and 1 license.',
    );
  });

  test('absent, and a failed check with what to do', () => {
    const absent =
      ':x: I found no License Management App in Demo (it has no License object). If you installed it in another org, the bot’s admin must connect me to that org.';
    expect(orgCheckView({ kind: 'absent' }, 'Demo')).toEqual({
      text: absent,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: absent } }],
    });
    const failed = orgCheckView(
      { kind: 'failed', error: new LmoError('auth', 'expired', 'INVALID_SESSION_ID') },
      'Demo',
    );
    const what = 'The bot could not sign in to the LMO: its Salesforce credentials are expired or were revoked.';
    const todo =
      'Ask the bot’s admin to re-authenticate (renew the SF_* credentials in the bot’s configuration) and restart it.';
    expect(failed.text).toBe(`I could not check the org. ${what} ${todo}`);
    expect(texts(failed.blocks)).toEqual([':warning: I could not check the org.', `:warning: *${what}*\n${todo}`]);
  });
});
