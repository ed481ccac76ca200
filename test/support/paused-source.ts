/** A change source whose reads pause midway, for tests of what another reader of the feed sees meanwhile. */
import { ChangeFeed, type ChangeSource, pollingSource } from '../../src/lma/change-feed.js';
import type { LmoService } from '../../src/lma/service.js';
import { processOwner } from '../../src/store/claim.js';
import type { Store } from '../../src/store/store.js';

/**
 * `source`, its reads paused after their first page (once the feed committed it, as it asks for the next) until
 * `resume()`; `paused` resolves once a read waits there.
 */
export function pausedSource(source: ChangeSource) {
  let resume = () => {};
  const gate = new Promise<void>((open) => {
    resume = open;
  });
  let pause = () => {};
  const paused = new Promise<void>((reached) => {
    pause = reached;
  });
  const gated: ChangeSource = {
    start: () => source.start(),
    changes(since, historyFrom) {
      const read = source.changes(since, historyFrom);
      async function* pages() {
        let first = true;
        for await (const page of read.pages) {
          yield page;
          if (first) {
            first = false;
            pause();
            await gate;
          }
        }
      }
      return { pages: pages(), valuesAt: () => read.valuesAt() };
    },
  };
  return { source: gated, paused, resume };
}

/**
 * Another replica's change feed over the same store and LMO (its own owner in the leases), its reads paused like
 * `pausedSource`'s: what one replica sees while another is mid-read.
 */
export function pausedReplica(runtime: { service: LmoService; store: Store; clock: () => Date }) {
  const { source, paused, resume } = pausedSource(pollingSource(runtime.service));
  const feed = new ChangeFeed({
    source,
    store: runtime.store.feed,
    leases: runtime.store.leases,
    owner: processOwner(),
    clock: runtime.clock,
  });
  return { feed, paused, resume };
}
