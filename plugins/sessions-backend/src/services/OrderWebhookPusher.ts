import { LoggerService } from '@backstage/backend-plugin-api';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorSettings } from '../config';
import { CommandStore, FeedCommand } from '../database/CommandStore';
import { ConnectorStore } from '../database/ConnectorStore';
import { OrderBell } from './OrderBell';

/** Headers of a pushed order; documented in the README. */
export const SIGNATURE_HEADER = 'x-sessions-signature';
export const TIMESTAMP_HEADER = 'x-sessions-timestamp';

/** Orders claimed per round; pushes within a round go one by one. */
const BATCH = 50;

export interface PushTiming {
  /** Pause between rounds that found nothing to push. */
  idleMs: number;
  /** Delays before the 2nd, 3rd, ... attempt of one order. */
  retryDelaysMs: number[];
  /** Time allowed for one attempt. */
  attemptTimeoutMs: number;
}

export const DEFAULT_PUSH_TIMING: PushTiming = {
  idleMs: 500,
  retryDelaysMs: [500, 1000, 2000, 4000, 8000],
  attemptTimeoutMs: 5000,
};

/**
 * `sha256=` and the hex HMAC-SHA256, keyed with the webhook's secret, of
 * the timestamp, a dot and the exact body.
 */
export function signOrder(secret: string, timestamp: string, body: string) {
  const mac = createHmac('sha256', secret)
    .update(`${timestamp}.${body}`)
    .digest('hex');
  return `sha256=${mac}`;
}

/**
 * Pushes each new order of a connector with a webhook to its URL, signed,
 * retried with backoff, in the background: a person's request never waits
 * for it. Replicas claim rounds through the database, so each order is
 * pushed by one of them. Pushing is a hint to act sooner; the pull feed
 * stays the source of truth, and a connector still acknowledges there.
 */
export class OrderWebhookPusher {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly options: {
      connectors: ConnectorSettings[];
      commands: CommandStore;
      registry: ConnectorStore;
      logger: LoggerService;
      timing?: PushTiming;
      now?: () => number;
      /** Rung when this process writes an order: an idle loop looks at once. */
      bell?: OrderBell;
    },
  ) {}

  start() {
    for (const connector of this.options.connectors) {
      if (connector.webhook) {
        this.loops.push(this.follow(connector.id, connector.webhook));
      }
    }
  }

  async stop() {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private get timing() {
    return this.options.timing ?? DEFAULT_PUSH_TIMING;
  }

  private async follow(
    source: string,
    webhook: { url: string; secret: string },
  ) {
    const bell = this.options.bell ?? new OrderBell();
    while (!this.stopped) {
      const mark = bell.mark();
      const pushed = await this.pushRound(source, webhook).catch(error => {
        this.options.logger.warn(
          `Order push round for ${source} failed: ${error}`,
        );
        return 0;
      });
      if (pushed === 0) {
        await bell.wait(mark, this.timing.idleMs);
      }
    }
  }

  /** Claims the next orders of a source and pushes them; returns how many. */
  async pushRound(
    source: string,
    webhook: { url: string; secret: string },
  ): Promise<number> {
    const { commands, registry } = this.options;
    const cursor = await registry.pushCursor(source);
    const orders = await commands.listAfter(source, cursor, BATCH);
    if (orders.length === 0) return 0;
    const last = orders[orders.length - 1].seq;
    if (!(await registry.claimPush(source, cursor, last))) return 0;
    for (const order of orders) {
      await this.deliver(source, webhook, order);
    }
    return orders.length;
  }

  private async deliver(
    source: string,
    webhook: { url: string; secret: string },
    { seq, ...order }: FeedCommand,
  ) {
    const body = JSON.stringify({ source, ...order });
    const delays = [0, ...this.timing.retryDelaysMs];
    let failure = '';
    for (const delay of delays) {
      if (delay) await sleep(delay);
      if (this.stopped) return;
      const timestamp = String((this.options.now ?? Date.now)());
      try {
        const response = await fetch(webhook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signOrder(webhook.secret, timestamp, body),
          },
          body,
          // A redirect would re-send the signed order somewhere else.
          redirect: 'manual',
          signal: AbortSignal.timeout(this.timing.attemptTimeoutMs),
        });
        if (response.ok) return;
        const redirected = response.status >= 300 && response.status < 400;
        failure = `HTTP ${response.status}${
          redirected
            ? ', a redirect, which is not followed: configure the final URL'
            : ''
        }`;
      } catch (error) {
        failure = String((error as Error)?.message ?? error);
      }
    }
    const message = `Order ${order.id} not pushed after ${delays.length} attempts: ${failure}`;
    this.options.logger.warn(`${source}: ${message}`);
    await this.options.registry.recordPushFailure(
      source,
      (this.options.now ?? Date.now)(),
      message,
    );
  }
}
