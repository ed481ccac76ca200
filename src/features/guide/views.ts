/**
 * The install guide's messages: the guide itself (a checklist, with the current stage and its buttons), what the
 * bot says in the thread, the org check's result and the final summary. Pure: state in, Block Kit out.
 */

import type { LmoError } from '../../lma/client.js';
import { formatDateTime } from '../../lma/dates.js';
import {
  actions,
  button,
  context,
  escapeText,
  header,
  notice,
  plural,
  type SlackView,
  section,
} from '../../slack/blocks.js';
import { failureView } from '../../slack/messages.js';
import type { OrgCheck } from './check.js';
import { type GuideState, type Note, progress, type Stamp } from './machine.js';
import type { GuideCommand } from './replies.js';
import { NEXT_STEPS, STAGES, type Stage, SUPPORT_PATH } from './steps.js';

/** The guide's buttons, each standing for the command typed in the thread. */
export const GUIDE_ACTIONS: Record<string, GuideCommand> = {
  guide_done: 'done',
  guide_understood: 'understood',
  guide_back: 'back',
  guide_stuck: 'help',
  guide_cancel: 'cancel',
};
/** Every guide button's action id starts so (the feature owns them all). */
export const GUIDE_ACTION_PREFIX = 'guide_';

/** A button's value: the guide's thread and the stage its message showed, so late clicks can be told apart. */
export function guideButtonValue(threadTs: string, stage: number): string {
  return `${threadTs}:${stage}`;
}

export function parseGuideButtonValue(value: string | undefined): { threadTs: string; stage: number } | undefined {
  const match = /^(\d+\.\d+):(\d+)$/.exec(value ?? '');
  return match ? { threadTs: match[1], stage: Number(match[2]) } : undefined;
}

export function guideParentView(user: string): SlackView {
  const text = `LMA install guide started by <@${user}>`;
  return {
    text,
    blocks: [
      section(
        `:package: *${text}*\nFollow along in the thread: anyone here can move it forward with the buttons or by replying \`done\`, \`back\`, \`skip\`, \`help\`…`,
      ),
    ],
  };
}

export function guideView(state: GuideState, threadTs: string, timezone: string): SlackView {
  const { step, of } = progress(state);
  const status =
    state.status === 'finished'
      ? `finished, all ${of} steps`
      : state.status === 'cancelled'
        ? `cancelled at step ${step} of ${of}`
        : `step ${step} of ${of}`;
  const checklist = STAGES.map((stage, index) => checklistLine(state, stage, index)).join('\n');
  const blocks = [header('Install the License Management App'), context(`Progress: *${status}*`), section(checklist)];
  if (state.status === 'active') {
    const stage = STAGES[state.stage];
    const value = guideButtonValue(threadTs, state.stage);
    const proceed =
      stage.kind === 'warning'
        ? button('I understand', 'guide_understood', value, 'danger')
        : button('Done / Next', 'guide_done', value, 'primary');
    blocks.push(
      section(`*${step}. ${stage.title}*\n${stage.todo.map((line) => `• ${line}`).join('\n')}\n_Why:_ ${stage.why}`),
      actions('guide_buttons', [
        proceed,
        button('Back', 'guide_back', value),
        button('I’m stuck', 'guide_stuck', value),
        button('Cancel', 'guide_cancel', value),
      ]),
      context('Or reply here: `done`, `back`, `skip`, `where am I`, `help`, `check`, `restart`, `cancel`.'),
    );
  } else if (state.ended) {
    const verb = state.status === 'finished' ? 'Finished' : 'Cancelled';
    blocks.push(
      context(`${verb} by ${who(state.ended, timezone)}. Type \`restart\` in this thread to go through it again.`),
    );
  }
  return {
    text: `LMA install guide: ${status}${state.status === 'active' ? ` (${STAGES[state.stage].title})` : ''}`,
    blocks,
  };
}

function checklistLine(state: GuideState, stage: Stage, index: number): string {
  const confirmation = state.confirmations[stage.id];
  const label = `${index + 1}. ${stage.title}`;
  const org = stage.kind === 'decision' && state.lmo ? `: *${escapeText(state.lmo.name)}*` : '';
  if (confirmation)
    return `${confirmation.how === 'skipped' ? ':fast_forward:' : ':white_check_mark:'} ${label}${org} · <@${confirmation.user}>`;
  if (state.status === 'active' && index === state.stage) return `:point_right: *${label}*${org}`;
  return `:white_large_square: ${label}${org}`;
}

function who(stamp: Stamp, timezone: string): string {
  return `<@${stamp.user}> on ${formatDateTime(new Date(stamp.at), timezone)}`;
}

/** What the bot says in the thread (or to one person) in answer to a step of the machine. */
export function guideNoteView(note: Note, state: GuideState, timezone: string): SlackView {
  if (note.kind === 'summary') return summaryView(state, timezone);
  const text = noteText(note, state);
  return { text, blocks: [section(text)] };
}

function noteText(note: Exclude<Note, { kind: 'summary' }>, state: GuideState): string {
  const stage = STAGES[state.stage];
  const { step, of } = progress(state);
  const confirm = 'This step needs an explicit confirmation: click *I understand* or type `I understand`.';
  const nameIt =
    'Reply with the name of the org that will be the LMO (for example `LMO: Acme Production`), then click *Done*.';
  switch (note.kind) {
    case 'hint':
      if (stage.kind === 'decision') return `:thinking_face: ${nameIt}`;
      if (stage.kind === 'warning') return `:thinking_face: ${confirm}`;
      return ':thinking_face: I did not get that. Reply `done`, `back`, `skip`, `where am I`, `help`, `check`, `restart` or `cancel`.';
    case 'where': {
      const passed = Object.keys(state.confirmations).length;
      const org = state.lmo ? ` LMO: *${escapeText(state.lmo.name)}*.` : '';
      if (state.status !== 'active')
        return `:round_pushpin: This guide is ${state.status} (${passed} of ${of} steps passed).${org}`;
      return `:round_pushpin: Step ${step} of ${of}: *${stage.title}* (${passed} passed).${org}`;
    }
    case 'help':
      return `:sos: *${stage.title}*: ${stage.stuck}\nStill stuck? ${SUPPORT_PATH}`;
    case 'org-noted':
      return `:memo: Noted: *${escapeText(state.lmo?.name ?? '')}* will be the LMO. Click *Done* to go on, or reply with another name.`;
    case 'org-refused':
      return `:no_entry: *${escapeText(note.name)}* sounds like a Developer Edition or packaging org. Never make an org that builds a managed package the LMO: name your production org instead.`;
    case 'need-org':
      return `:point_up: ${nameIt}`;
    case 'need-understood':
      return `:point_up: ${confirm}`;
    case 'cannot-skip':
      return `:point_up: *${stage.title}* cannot be skipped.${stage.kind === 'warning' ? ` ${confirm}` : ''}`;
    case 'at-start':
      return ':point_up: This is already the first step.';
    case 'restarted':
      return `:arrows_counterclockwise: <@${note.user}> restarted the guide from step 1.`;
    case 'cancelled':
      return `:no_entry_sign: <@${note.user}> cancelled the guide. Type \`restart\` here to start over.`;
    case 'inactive':
      return `This guide is ${state.status}. Type \`restart\` in its thread to go through it again, or run \`/lma install\` for a new one.`;
    case 'stale-step':
      return `That button belongs to an earlier view: the guide is now at step ${step} of ${of} (*${stage.title}*). Use the buttons on the guide message.`;
  }
}

/** The end of the guide: who confirmed what and when, the LMO, and what comes next. */
export function summaryView(state: GuideState, timezone: string): SlackView {
  const lines = STAGES.map((stage, index) => {
    const c = state.confirmations[stage.id];
    if (!c) return `:white_large_square: ${index + 1}. ${stage.title}: not confirmed`;
    const how = c.how === 'skipped' ? 'skipped' : c.how === 'understood' ? 'understood' : 'done';
    return `${c.how === 'skipped' ? ':fast_forward:' : ':white_check_mark:'} ${index + 1}. ${stage.title}: ${how} by ${who(c, timezone)}`;
  });
  const lmo = state.lmo ? `*${escapeText(state.lmo.name)}* (named by ${who(state.lmo, timezone)})` : '_not named_';
  const next = NEXT_STEPS.map((s, i) => `${i + 1}. ${s}`).join('\n');
  return {
    text: `LMA install guide finished. LMO: ${state.lmo ? escapeText(state.lmo.name) : 'not named'}. Next: register the package, set default license terms, enable field history tracking.`,
    blocks: [
      header('LMA installation: summary'),
      section(`*License Management Org:* ${lmo}`),
      section(lines.join('\n')),
      section(`*What to do next*\n${next}`),
      context(
        `Started by ${who(state.started, timezone)}${state.ended ? ` · finished by ${who(state.ended, timezone)}` : ''}`,
      ),
    ],
  };
}

/** What the org check found, in the connected org named by `lmoLabel`. */
export function orgCheckView(check: OrgCheck, lmoLabel: string): SlackView {
  const org = escapeText(lmoLabel);
  switch (check.kind) {
    case 'installed': {
      const text = `:white_check_mark: The License Management App is installed in ${org}: it holds ${plural(check.packages, 'package')} and ${plural(check.licenses, 'license')}.`;
      const hint = check.packages === 0 ? ' Next: register your package with this LMO.' : '';
      return { text: `${text}${hint}`, blocks: [section(`${text}${hint}`)] };
    }
    case 'absent': {
      const text = `:x: I found no License Management App in ${org} (it has no License object). If you installed it in another org, the bot’s admin must connect me to that org.`;
      return { text, blocks: [section(text)] };
    }
    case 'failed':
      return checkFailedView(check.error);
  }
}

function checkFailedView(error: LmoError): SlackView {
  const failure = failureView(error);
  const text = `I could not check the org. ${failure.text}`;
  return { text, blocks: [section(':warning: I could not check the org.'), ...failure.blocks] };
}

export function guideGoneView(): SlackView {
  const text =
    'This install guide no longer exists: guides are cleaned up after 30 days without activity. Run `/lma install` to start a new one.';
  return notice('hourglass', text);
}

export function notInChannelView(): SlackView {
  const text =
    'I am not a member of this channel, so I cannot start the guide here. Invite me with `/invite @LMA Bot` (or mention me and accept the prompt), then run `/lma install` again.';
  return notice('wave', text);
}
