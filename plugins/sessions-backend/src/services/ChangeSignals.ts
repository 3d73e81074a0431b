import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  SESSIONS_SIGNAL_CHANNEL,
  SessionsChangedSignal,
} from '@active-sessions/plugin-sessions-common';
import { ChangeStore } from '../database/ChangeStore';
import { ManagedMembersStore } from '../database/ManagedMembersStore';

const BATCH = 500;

/**
 * Tells open pages that something they show changed: every state change
 * already writes an event row, so this follows the event tables and
 * signals the owners of what changed, and their managers. Runs often on
 * every replica; a compare-and-set on the cursor makes one of them
 * publish each batch. Activity that changes no state is not signalled:
 * the page's durations tick on their own.
 */
export class ChangeSignals {
  constructor(
    private readonly options: {
      store: ChangeStore;
      managers: ManagedMembersStore;
      signals: SignalsService;
      logger: LoggerService;
    },
  ) {}

  async run(): Promise<void> {
    const { store, managers, signals } = this.options;
    for (;;) {
      const batch = await store.readChanges(BATCH);
      if (!batch || !(await store.claim(batch))) return;
      const managersOf = await managers.managersOf(batch.userRefs);
      const recipients = new Set(batch.userRefs);
      for (const list of managersOf.values()) {
        list.forEach(ref => recipients.add(ref));
      }
      const message: SessionsChangedSignal = { type: 'changed' };
      await signals
        .publish({
          recipients: { type: 'user', entityRef: [...recipients] },
          channel: SESSIONS_SIGNAL_CHANNEL,
          message,
        })
        .catch(error =>
          this.options.logger.warn(`Could not signal page updates: ${error}`),
        );
    }
  }
}
