import { LoggerService } from '@backstage/backend-plugin-api';
import { GrantStore } from '../database/GrantStore';
import { SWEEP_ACTOR } from './SessionSweeper';

/** The scheduled sweep that marks grants past their expiry as expired. */
export class GrantExpirySweeper {
  constructor(
    private readonly store: GrantStore,
    private readonly logger: LoggerService,
    private readonly now: () => number = Date.now,
  ) {}

  async run(): Promise<string[]> {
    const expired = await this.store.expireGrants(this.now(), SWEEP_ACTOR);
    if (expired.length > 0) {
      this.logger.info(`Grant sweep: ${expired.length} grants expired`);
    }
    return expired;
  }
}
