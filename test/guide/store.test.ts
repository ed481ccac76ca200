import { describe, expect, test } from 'vitest';
import { startGuide } from '../../src/guide/machine.js';
import { GUIDE_TTL_DAYS, guideStore } from '../../src/guide/store.js';
import { openStore } from '../../src/store/sqlite.js';

const AT = new Date('2026-06-15T10:00:00Z');
const days = (n: number) => new Date(AT.getTime() + n * 86_400_000);

describe('guide persistence', () => {
  test('saves, reads back and updates a guide by its thread', () => {
    const guides = guideStore(openStore(':memory:'));
    const state = startGuide('U0ALICE', AT);
    guides.save({ channel: 'C1', threadTs: '1.000001', messageTs: '1.000002', state }, AT);
    expect(guides.get('C1', '1.000001')).toEqual({ channel: 'C1', threadTs: '1.000001', messageTs: '1.000002', state });
    guides.save({ channel: 'C1', threadTs: '1.000001', messageTs: '1.000002', state: { ...state, stage: 3 } }, AT);
    expect(guides.get('C1', '1.000001')?.state.stage).toBe(3);
    expect(guides.get('C2', '1.000001')).toBeUndefined();
  });

  test(`removes guides idle for ${GUIDE_TTL_DAYS} days, keeping those touched since`, () => {
    const guides = guideStore(openStore(':memory:'));
    const state = startGuide('U0ALICE', AT);
    guides.save({ channel: 'C1', threadTs: '1.1', messageTs: '1.2', state }, AT);
    guides.save({ channel: 'C1', threadTs: '2.1', messageTs: '2.2', state }, days(10));
    expect(guides.removeIdle(days(GUIDE_TTL_DAYS - 1))).toBe(0);
    expect(guides.removeIdle(days(GUIDE_TTL_DAYS + 1))).toBe(1);
    expect(guides.get('C1', '1.1')).toBeUndefined();
    expect(guides.get('C1', '2.1')).toBeDefined();
  });
});
