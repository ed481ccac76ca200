/** A change source whose reads pause midway, for tests of what another reader of the feed sees meanwhile. */
import type { ChangeSource } from '../../src/lma/change-feed.js';

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
