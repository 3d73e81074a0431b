import { LoggerService } from '@backstage/backend-plugin-api';
import { SignOutStore } from '../database/SignOutStore';
import { CommandFeedService } from '../services/CommandFeedService';
import { PORTAL_SOURCE } from '@active-sessions/plugin-sessions-common';
import { SignOutRegistry } from './signOutRegistry';

/**
 * Keeps this process's sign-out registry in step with the database, and
 * acts as the `portal` connector: once a sign-in ended on the page is in
 * the registry, the process refuses its tokens, so its order is done.
 * Every replica runs it; acknowledging twice changes nothing.
 */
export class SignOutSync {
  private cursor = 0;

  constructor(
    private readonly options: {
      store: SignOutStore;
      registry: SignOutRegistry;
      orders: CommandFeedService;
      tokenLifetimeMs: number;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  async run(): Promise<void> {
    const { store, registry, orders, tokenLifetimeMs } = this.options;
    const now = (this.options.now ?? Date.now)();
    try {
      // Orders first: each was committed with its sign-out, so the list
      // read next holds every sign-out acknowledged below.
      const page = await orders.read({
        source: PORTAL_SOURCE,
        after: this.cursor,
        wait: 0,
        limit: 500,
      });
      registry.update(await store.readSignOuts(now - tokenLifetimeMs, now));
      if (page.commands.length) {
        await orders.acknowledge({
          source: PORTAL_SOURCE,
          acks: page.commands.map(order => ({ id: order.id, outcome: 'done' })),
        });
      }
      this.cursor = page.cursor;
    } catch (error) {
      this.options.logger.warn(
        `Could not refresh portal sign-outs; tokens are checked against the last list: ${error}`,
      );
    }
  }
}
