/** The bot's one change feed (src/lma/change-feed.ts), wired to its LMO and store. */
import { ChangeFeed, pollingSource } from '../lma/change-feed.js';
import type { LmoService } from '../lma/service.js';
import { processOwner } from '../store/claim.js';
import type { Store } from '../store/store.js';

/** The LMO polled through `service`; read by one process at a time, this one named in the store's leases. */
export function changeFeedOf(service: LmoService, store: Store, clock: () => Date): ChangeFeed {
  return new ChangeFeed({
    source: pollingSource(service),
    store: store.feed,
    leases: store.leases,
    owner: processOwner(),
    clock,
  });
}
