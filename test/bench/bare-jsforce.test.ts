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
    const one = (soql: string) => ({ soql, pages: 1 });
    expect(stages).toEqual([[one('SELECT A'), one('SELECT B')], [one('SELECT C')], [one('SELECT D')]]);
  });

  it('counts a queryMore as one more page of the latest query before it, for autoFetch to read as far as the bot did', () => {
    expect(
      stagesOf([
        { soql: 'SELECT A', at: 1000, servedMs: 100 },
        { at: 1101, servedMs: 100 },
        { at: 1202, servedMs: 100 },
        { soql: 'SELECT B', at: 1303, servedMs: 100 },
      ]),
    ).toEqual([[{ soql: 'SELECT A', pages: 3 }], [{ soql: 'SELECT B', pages: 1 }]]);
    expect(stagesOf([])).toEqual([]);
  });

  it("replays a composite call's queries as plain queries together, its chained pages as pages, past-the-end ones not", () => {
    expect(
      stagesOf([
        {
          at: 1000,
          servedMs: 100,
          subrequests: [
            { soql: 'SELECT A', status: 200 },
            { soql: 'SELECT B', status: 200 },
            { status: 200 },
            { status: 400 },
          ],
        },
        // The next composite continues B from its locator: two more pages, then past its end.
        { at: 1101, servedMs: 100, subrequests: [{ status: 200 }, { status: 200 }, { status: 400 }] },
        { soql: 'SELECT C', at: 1202, servedMs: 100 },
      ]),
    ).toEqual([
      [
        { soql: 'SELECT A', pages: 1 },
        { soql: 'SELECT B', pages: 4 },
      ],
      [{ soql: 'SELECT C', pages: 1 }],
    ]);
  });
});
