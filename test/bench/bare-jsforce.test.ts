import { describe, expect, it } from 'vitest';
import { stagesOf } from '../../bench/bare-jsforce.js';

describe('the bare-jsforce floor replays an answer in the stages the bot issued its calls', () => {
  it('keeps calls made together together and calls made one after another apart', () => {
    const stages = stagesOf([
      { soql: 'SELECT C', at: 1201, servedMs: 100 },
      { soql: 'SELECT A', at: 1000, servedMs: 100 },
      { soql: 'SELECT B', at: 1001, servedMs: 102 },
      // Logged a millisecond before C's answer: arrival times are whole milliseconds, so it came after C.
      { soql: 'SELECT D', at: 1300, servedMs: 100 },
    ]);
    expect(stages).toEqual([['SELECT A', 'SELECT B'], ['SELECT C'], ['SELECT D']]);
  });

  it('leaves out queryMore pages, which autoFetch follows as the bot did', () => {
    expect(
      stagesOf([
        { soql: 'SELECT A', at: 1000, servedMs: 100 },
        { at: 1101, servedMs: 100 },
      ]),
    ).toEqual([['SELECT A']]);
    expect(stagesOf([])).toEqual([]);
  });
});
