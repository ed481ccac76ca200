import { describe, expect, test } from 'vitest';
import {
  type GuideInput,
  type GuideState,
  progress,
  startGuide,
  step,
  type Transition,
} from '../../../src/features/guide/machine.js';
import type { GuideCommand } from '../../../src/features/guide/replies.js';
import { STAGES } from '../../../src/features/guide/steps.js';

const AT = new Date('2026-06-15T10:00:00Z');
const ALICE = { user: 'U0ALICE', at: AT };
const BOB = { user: 'U0BOB', at: new Date('2026-06-15T11:00:00Z') };
const cmd = (command: GuideCommand, fromStage?: number): GuideInput => ({ kind: 'command', command, fromStage });
const stageIndex = (id: string) => STAGES.findIndex((s) => s.id === id);

/** Runs inputs from a fresh guide, returning the last transition. */
function run(inputs: GuideInput[], from: GuideState = startGuide('U0ALICE', AT), actor = ALICE): Transition {
  let t: Transition = { state: from, effects: [] };
  for (const input of inputs) t = step(t.state, input, actor);
  return t;
}

const throughWarnings = [
  { kind: 'org', name: 'Acme Production' },
  cmd('done'),
  cmd('understood'),
  cmd('understood'),
] as GuideInput[];

describe('the install guide state machine', () => {
  test('has eight stages: decide the LMO, two warnings, then the install itself, ending with the org check', () => {
    expect(STAGES).toHaveLength(8);
    expect(STAGES[0].kind).toBe('decision');
    expect(STAGES.filter((s) => s.kind === 'warning')).toHaveLength(2);
    expect(STAGES.at(-1)?.checksOrg).toBe(true);
  });

  test('the LMO must be named before Done counts, and a typed answer on that stage names it', () => {
    const early = run([cmd('done')]);
    expect(early.state.stage).toBe(0);
    expect(early.effects).toEqual([{ kind: 'say', note: { kind: 'need-org' } }]);

    const named = run([{ kind: 'text', text: 'Acme Production' }]);
    expect(named.state.lmo).toMatchObject({ name: 'Acme Production', user: 'U0ALICE' });
    expect(named.effects).toEqual([{ kind: 'render' }, { kind: 'say', note: { kind: 'org-noted' } }]);
    expect(run([cmd('done')], named.state).state.stage).toBe(1);
  });

  test('a question typed at the LMO decision gets a hint instead of becoming the org’s name', () => {
    const asked = run([{ kind: 'text', text: 'what is an LMO?' }]);
    expect(asked.state.lmo).toBeUndefined();
    expect(asked.effects).toEqual([{ kind: 'say', note: { kind: 'hint' } }]);
  });

  test('a Developer Edition or packaging org is refused as the LMO', () => {
    const refused = run([{ kind: 'org', name: 'our Developer Edition org' }]);
    expect(refused.state.lmo).toBeUndefined();
    expect(refused.effects).toEqual([
      { kind: 'say', note: { kind: 'org-refused', name: 'our Developer Edition org' } },
    ]);
  });

  test('warnings pass only with an explicit "I understand": not Done, not Skip', () => {
    const atWarning = run(throughWarnings.slice(0, 2));
    expect(STAGES[atWarning.state.stage].kind).toBe('warning');
    expect(run([cmd('done')], atWarning.state).effects).toEqual([{ kind: 'say', note: { kind: 'need-understood' } }]);
    expect(run([cmd('skip')], atWarning.state).effects).toEqual([{ kind: 'say', note: { kind: 'cannot-skip' } }]);
    const passed = run([cmd('understood')], atWarning.state);
    expect(passed.state.stage).toBe(atWarning.state.stage + 1);
    expect(passed.state.confirmations[STAGES[atWarning.state.stage].id]).toMatchObject({
      how: 'understood',
      user: 'U0ALICE',
    });
  });

  test('skip passes a skippable task and records it as skipped', () => {
    const t = run([...throughWarnings, cmd('skip')]);
    expect(t.state.stage).toBe(stageIndex('open-link'));
    expect(t.state.confirmations['file-case']).toMatchObject({ how: 'skipped' });
  });

  test('back returns one stage and clears the ticks from there on; at the start it says so', () => {
    const t = run([...throughWarnings, cmd('back')]);
    expect(t.state.stage).toBe(stageIndex('lma-is-permanent'));
    expect(t.state.confirmations['lma-is-permanent']).toBeUndefined();
    expect(t.state.confirmations['lmo-is-permanent']).toBeDefined();
    expect(run([cmd('back')]).effects).toEqual([{ kind: 'say', note: { kind: 'at-start' } }]);
  });

  test('reaching the last stage asks for the org check; Done there finishes with a summary', () => {
    const atLast = run([...throughWarnings, cmd('done'), cmd('done'), cmd('done'), cmd('done')]);
    expect(atLast.state.stage).toBe(STAGES.length - 1);
    expect(atLast.effects).toEqual([{ kind: 'render' }, { kind: 'check' }]);
    const finished = run([cmd('done')], atLast.state, BOB);
    expect(finished.state.status).toBe('finished');
    expect(finished.state.ended).toEqual({ user: 'U0BOB', at: BOB.at.toISOString() });
    expect(finished.effects).toEqual([{ kind: 'render' }, { kind: 'say', note: { kind: 'summary' } }]);
    expect(Object.keys(finished.state.confirmations)).toHaveLength(STAGES.length);
  });

  test('cancel stops the guide; afterwards only restart, where and check act', () => {
    const cancelled = run([cmd('cancel')], undefined, BOB);
    expect(cancelled.state.status).toBe('cancelled');
    expect(cancelled.effects).toEqual([
      { kind: 'render' },
      { kind: 'say', note: { kind: 'cancelled', user: 'U0BOB' } },
    ]);
    expect(run([cmd('done')], cancelled.state).effects).toEqual([{ kind: 'say', note: { kind: 'inactive' } }]);
    expect(run([cmd('check')], cancelled.state).effects).toEqual([{ kind: 'check' }]);
    const restarted = run([cmd('restart')], cancelled.state);
    expect(restarted.state).toMatchObject({ status: 'active', stage: 0, confirmations: {} });
    expect(restarted.state.lmo).toBeUndefined();
  });

  test('a button from an earlier view does nothing and tells only the clicker', () => {
    const t = run([...throughWarnings]);
    const late = step(t.state, cmd('done', 0), BOB);
    expect(late.state).toBe(t.state);
    expect(late.effects).toEqual([{ kind: 'tell', note: { kind: 'stale-step' } }]);
    expect(step(t.state, cmd('done', t.state.stage), BOB).state.stage).toBe(t.state.stage + 1);
  });

  test('unknown text gets a hint, where/help/check leave the state alone', () => {
    const t = run([...throughWarnings]);
    for (const [input, note] of [
      [{ kind: 'text', text: 'hmm?' }, 'hint'],
      [cmd('where'), 'where'],
      [cmd('help'), 'help'],
    ] as const) {
      const r = step(t.state, input, ALICE);
      expect(r.state).toBe(t.state);
      expect(r.effects).toEqual([{ kind: 'say', note: { kind: note } }]);
    }
  });

  test('who did what is recorded in order, and progress reads "step n of 8"', () => {
    const t = step(run([{ kind: 'org', name: 'Acme' }]).state, cmd('done'), BOB);
    expect(t.state.history.map((h) => [h.action, h.user, h.stage])).toEqual([
      ['start', 'U0ALICE', 'choose-lmo'],
      ['org', 'U0ALICE', 'choose-lmo'],
      ['done', 'U0BOB', 'choose-lmo'],
    ]);
    expect(progress(t.state)).toEqual({ step: 2, of: 8 });
  });
});
