/**
 * Alerts as the sender leaves them in the store: an event per license (a minute apart, the last a minute before
 * `now`), each posted to its channel. For views that read posted alerts (the App Home) without running the poller.
 */
import type { LicenseEvent } from '../../src/lma/license-events.js';
import type { Store } from '../../src/store/store.js';
import { LICENSE } from './lmo-fixture.js';

export async function postAlerts(
  store: Store,
  now: Date,
  alerts: { n: number; channel: string; customer: string }[],
): Promise<void> {
  const events = alerts.map(({ n, customer }, i): LicenseEvent => {
    const at = new Date(now.getTime() - (alerts.length - i) * 60_000).toISOString();
    const license = { id: LICENSE(n), customer: { name: customer, kind: 'account', id: `001${n}` } };
    return { key: `${LICENSE(n)}:trial:${at}`, kind: 'trial', at, license, from: null, to: 'Trial' } as LicenseEvent;
  });
  const deliveries = events.map((e, i) => ({ key: e.key, channel: alerts[i].channel }));
  await store.feed.commit({ poll: 'p1', states: [], events, deliveries });
  for (const [i, e] of events.entries()) await store.alerts.sent(alerts[i].channel, [e.key], `1.${i}`, now);
}
