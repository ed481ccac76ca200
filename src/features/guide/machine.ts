/**
 * The install guide as a pure state machine: state + input (a click or a typed reply) + who and when → the next
 * state and the effects to carry out (re-render the guide message, say something in the thread, check the org).
 * No I/O here: the feature stores the state and performs the effects.
 */
import type { GuideCommand } from './replies.js';
import { looksLikeDevelopmentOrg, STAGES } from './steps.js';

export type GuideStatus = 'active' | 'finished' | 'cancelled';

export interface Stamp {
  user: string;
  /** ISO date-time. */
  at: string;
}

export interface Confirmation extends Stamp {
  how: 'done' | 'skipped' | 'understood';
}

export interface HistoryEntry extends Stamp {
  action: GuideCommand | 'start' | 'org';
  /** The stage's id when it happened. */
  stage: string;
}

export interface GuideState {
  /** Index in STAGES of the current stage. */
  stage: number;
  status: GuideStatus;
  started: Stamp;
  /** The org chosen as LMO and who named it. */
  lmo?: Stamp & { name: string };
  /** By stage id: who passed each stage before the current one, and how. */
  confirmations: Record<string, Confirmation>;
  /** Every change, in order: who did what. */
  history: HistoryEntry[];
  /** Who finished or cancelled it. */
  ended?: Stamp;
}

export type GuideInput =
  /** `fromStage` is set for a button: the stage the clicked message showed. */
  | { kind: 'command'; command: GuideCommand; fromStage?: number }
  /** An answer naming the LMO. */
  | { kind: 'org'; name: string }
  /** Anything else typed in the thread. */
  | { kind: 'text'; text: string };

export type Note =
  | { kind: 'hint' }
  | { kind: 'where' }
  | { kind: 'help' }
  | { kind: 'org-noted' }
  | { kind: 'org-refused'; name: string }
  | { kind: 'need-org' }
  | { kind: 'need-understood' }
  | { kind: 'cannot-skip' }
  | { kind: 'at-start' }
  | { kind: 'restarted'; user: string }
  | { kind: 'cancelled'; user: string }
  | { kind: 'summary' }
  | { kind: 'inactive' }
  | { kind: 'stale-step' };

export type Effect =
  /** Update the guide message in place. */
  | { kind: 'render' }
  /** Post in the thread, for everyone. */
  | { kind: 'say'; note: Note }
  /** Tell only the person who acted (a click on an outdated button). */
  | { kind: 'tell'; note: Note }
  /** Look for the LMA in the connected org and report. */
  | { kind: 'check' };

export interface Transition {
  state: GuideState;
  effects: Effect[];
}

export function startGuide(user: string, at: Date): GuideState {
  const stamp = { user, at: at.toISOString() };
  return {
    stage: 0,
    status: 'active',
    started: stamp,
    confirmations: {},
    history: [{ ...stamp, action: 'start', stage: STAGES[0].id }],
  };
}

export function step(state: GuideState, input: GuideInput, actor: { user: string; at: Date }): Transition {
  const stamp: Stamp = { user: actor.user, at: actor.at.toISOString() };
  const stage = STAGES[state.stage];
  const say = (note: Note): Transition => ({ state, effects: [{ kind: 'say', note }] });
  const record = (next: GuideState, action: HistoryEntry['action']): GuideState => ({
    ...next,
    history: [...next.history, { ...stamp, action, stage: stage.id }],
  });

  // A button on a message that no longer shows the current step (someone else was quicker): act on nothing.
  if (
    input.kind === 'command' &&
    input.fromStage !== undefined &&
    (state.status !== 'active' || input.fromStage !== state.stage)
  ) {
    return {
      state,
      effects: [{ kind: 'tell', note: { kind: state.status === 'active' ? 'stale-step' : 'inactive' } }],
    };
  }
  if (input.kind !== 'command') {
    if (state.status !== 'active') return say({ kind: 'inactive' });
    if (stage.kind !== 'decision') return say({ kind: 'hint' });
    if (input.kind === 'org') return chooseLmo(state, input.name, stamp, record);
    // A question or a long sentence is someone talking, not an org's name; `LMO: …` always names one.
    return looksLikeOrgName(input.text) ? chooseLmo(state, input.text, stamp, record) : say({ kind: 'hint' });
  }
  // Looking around and starting over work on a finished or cancelled guide too; moving it does not.
  switch (input.command) {
    case 'check':
      return { state, effects: [{ kind: 'check' }] };
    case 'where':
      return say({ kind: 'where' });
    case 'restart': {
      const restarted = record(
        { ...state, stage: 0, status: 'active', confirmations: {}, lmo: undefined, ended: undefined },
        'restart',
      );
      return {
        state: restarted,
        effects: [{ kind: 'render' }, { kind: 'say', note: { kind: 'restarted', user: actor.user } }],
      };
    }
  }
  if (state.status !== 'active') return say({ kind: 'inactive' });
  switch (input.command) {
    case 'help':
      return say({ kind: 'help' });
    case 'done':
      if (stage.kind === 'decision' && !state.lmo) return say({ kind: 'need-org' });
      if (stage.kind === 'warning') return say({ kind: 'need-understood' });
      return advance(record(state, 'done'), { ...stamp, how: 'done' });
    case 'understood':
      return stage.kind === 'warning'
        ? advance(record(state, 'understood'), { ...stamp, how: 'understood' })
        : say({ kind: 'hint' });
    case 'skip':
      return stage.skippable
        ? advance(record(state, 'skip'), { ...stamp, how: 'skipped' })
        : say({ kind: 'cannot-skip' });
    case 'back': {
      if (state.stage === 0) return say({ kind: 'at-start' });
      // Ticks stay true to the thread: the stage returned to, and those after it, must be passed again.
      const confirmations = Object.fromEntries(
        Object.entries(state.confirmations).filter(([id]) => STAGES.findIndex((s) => s.id === id) < state.stage - 1),
      );
      return {
        state: record({ ...state, stage: state.stage - 1, confirmations }, 'back'),
        effects: [{ kind: 'render' }],
      };
    }
    case 'cancel':
      return {
        state: record({ ...state, status: 'cancelled', ended: stamp }, 'cancel'),
        effects: [{ kind: 'render' }, { kind: 'say', note: { kind: 'cancelled', user: actor.user } }],
      };
  }
}

function chooseLmo(
  state: GuideState,
  rawName: string,
  stamp: Stamp,
  record: (s: GuideState, a: HistoryEntry['action']) => GuideState,
): Transition {
  const name = rawName.trim().slice(0, 120);
  if (looksLikeDevelopmentOrg(name)) return { state, effects: [{ kind: 'say', note: { kind: 'org-refused', name } }] };
  return {
    state: record({ ...state, lmo: { ...stamp, name } }, 'org'),
    effects: [{ kind: 'render' }, { kind: 'say', note: { kind: 'org-noted' } }],
  };
}

function looksLikeOrgName(text: string): boolean {
  return !text.trim().endsWith('?') && text.length <= 80;
}

/** Marks the current stage passed and moves on; after the last one, the guide is finished. */
function advance(state: GuideState, confirmation: Confirmation): Transition {
  const confirmations = { ...state.confirmations, [STAGES[state.stage].id]: confirmation };
  const stamp: Stamp = { user: confirmation.user, at: confirmation.at };
  if (state.stage === STAGES.length - 1) {
    return {
      state: { ...state, confirmations, status: 'finished', ended: stamp },
      effects: [{ kind: 'render' }, { kind: 'say', note: { kind: 'summary' } }],
    };
  }
  const next = { ...state, confirmations, stage: state.stage + 1 };
  return {
    state: next,
    effects: [{ kind: 'render' }, ...(STAGES[next.stage].checksOrg ? [{ kind: 'check' } as const] : [])],
  };
}

/** Where the guide stands: "step 4 of 8". */
export function progress(state: GuideState): { step: number; of: number } {
  return { step: state.stage + 1, of: STAGES.length };
}
