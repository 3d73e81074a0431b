/*
 * The load benchmark's actors, all against the sessions API of one or more
 * replicas (actor i talks to replica i mod n, as a load balancer spreads
 * them):
 *   - connectors: each heartbeats all its live sessions every 30 s in
 *     batches of the API's limit, spread over the period, and follows its
 *     order feed (long-polling, as connectors/openssh does), acknowledging
 *     each order and starting a new session in place of each one cut;
 *   - readers: closed loops paging a list (50 rows, the guest's own or
 *     everyone's) and reading the stats;
 *   - a person ending their sessions at a steady rate, each End timed until
 *     its connector saw the order and had the acknowledgement accepted.
 */
import { performance } from 'node:perf_hooks';
import { call, CONNECTOR_TOKEN, sleep } from './backend.mjs';

/** MAX_BATCH_SIZE of the connector API (plugins/sessions-common). */
const BATCH = 500;
const HEARTBEAT_PERIOD_MS = 30_000;
/** The longest wait the order feed allows (MAX_FEED_WAIT_SECONDS). */
const FEED_WAIT_S = 25;

/**
 * Latencies (ms) and counts of what happens while `measuring`; errors at
 * any time of a phase (warm-up and the wait for acknowledgements too).
 */
export class Metrics {
  measuring = false;
  times = new Map();
  counts = new Map();
  errors = new Map();

  add(kind, ms, always = false) {
    if (!this.measuring && !always) return;
    if (!this.times.has(kind)) this.times.set(kind, []);
    this.times.get(kind).push(ms);
  }

  count(kind, n = 1) {
    if (!this.measuring) return;
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }

  error(kind, error) {
    const entry = this.errors.get(kind) ?? { count: 0, first: String(error) };
    entry.count += 1;
    this.errors.set(kind, entry);
  }
}

const chunk = (items, size) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

async function sleepUntil(at, signal) {
  const ms = at - performance.now();
  if (ms > 0) await sleep(ms, signal);
}

export class Workload {
  /**
   * @param live Map of source → Map of externalId → userRef: the sessions
   * each connector has open and heartbeats.
   */
  constructor({ live, readers, endsPerSecond, thinkMs = 0 }) {
    this.connectors = [...live.keys()].sort().map((source, index) => ({
      source,
      index,
      live: live.get(source),
      cursor: 0,
    }));
    this.readers = readers;
    this.thinkMs = thinkMs;
    this.endsPerSecond = endsPerSecond;
    /** Ends waiting for their acknowledgement: session id → times. */
    this.pending = new Map();
    this.started = 0;
    this.replacing = [];
  }

  /** Runs every actor against `apis` until stop(); `pool`: ids to End. */
  start({ apis, token, metrics, pool }) {
    this.apis = apis;
    this.token = token;
    this.metrics = metrics;
    this.pool = pool;
    this.abort = new AbortController();
    this.stopEnding = new AbortController();
    const signal = this.abort.signal;
    const target = i => apis[i % apis.length];
    const began = performance.now();
    this.running = [
      ...this.connectors.flatMap(connector => [
        this.heartbeat(connector, target(connector.index), began, signal),
        this.follow(connector, target(connector.index), signal),
      ]),
      ...Array.from({ length: this.readers }, (_, i) =>
        this.read(i, target(i), signal),
      ),
      this.end(began, AbortSignal.any([signal, this.stopEnding.signal])),
    ];
  }

  /** Stops sending Ends; the connectors go on acknowledging. */
  stopEnds() {
    this.stopEnding.abort();
  }

  async stop() {
    this.abort.abort();
    await Promise.allSettled(this.running);
    await Promise.allSettled([...(this.ending ?? []), ...this.replacing]);
    this.replacing = [];
  }

  /** One timed call; undefined (and an error counted) when it failed. */
  async timed(kind, url, options, signal) {
    const began = performance.now();
    try {
      const body = await call(url, { token: this.token, ...options, signal });
      this.metrics.add(kind, performance.now() - began);
      return body;
    } catch (error) {
      if (!signal?.aborted) this.metrics.error(kind, error);
      return undefined;
    }
  }

  /** All live sessions once per period, a batch at a time, spread out. */
  async heartbeat(connector, api, began, signal) {
    const spread = this.connectors.length;
    let due;
    while (!signal.aborted) {
      const batches = chunk([...connector.live.keys()], BATCH);
      const interval = HEARTBEAT_PERIOD_MS / Math.max(1, batches.length);
      // Connectors take turns: one's batches fall between the others'.
      due ??= began + (connector.index / spread) * interval;
      for (const batch of batches) {
        await sleepUntil(due, signal);
        if (signal.aborted) return;
        // Late when the previous batch took longer than its share.
        this.metrics.add('heartbeat lag', Math.max(0, performance.now() - due));
        const result = await this.timed(
          'heartbeat',
          `${api}/connector/sessions/activity`,
          {
            token: CONNECTOR_TOKEN,
            method: 'POST',
            body: {
              source: connector.source,
              activity: batch.map(externalId => ({ externalId })),
            },
          },
          signal,
        );
        if (result) this.metrics.count('heartbeat rows', batch.length);
        due += interval;
      }
    }
  }

  /** Reads orders after the cursor (waiting for them) and acknowledges. */
  async follow(connector, api, signal) {
    const { source } = connector;
    while (!signal.aborted) {
      const page = await this.timed(
        'feed read',
        `${api}/connector/commands?source=${source}&after=${connector.cursor}&wait=${FEED_WAIT_S}&limit=${BATCH}`,
        { token: CONNECTOR_TOKEN },
        signal,
      );
      if (!page) {
        await sleep(1000, signal);
        continue;
      }
      if (page.commands.length > 0) {
        const seenAt = performance.now();
        for (const command of page.commands) {
          const ending = this.pending.get(command.subjectId);
          if (ending) ending.seenAt ??= seenAt;
        }
        // The connector cut them all: nothing of it is measured.
        const acked = await this.timed(
          'ack',
          `${api}/connector/commands/ack`,
          {
            token: CONNECTOR_TOKEN,
            method: 'POST',
            body: {
              source,
              acks: page.commands.map(({ id }) => ({ id, outcome: 'done' })),
            },
          },
          signal,
        );
        // Not acknowledged: read the same orders again.
        if (!acked) continue;
        const ackedAt = performance.now();
        this.metrics.count('orders', page.commands.length);
        const replaced = [];
        for (const command of page.commands) {
          const ending = this.pending.get(command.subjectId);
          if (ending) {
            this.pending.delete(command.subjectId);
            this.metrics.add(
              'End → order seen',
              ending.seenAt - ending.sentAt,
              ending.measured,
            );
            this.metrics.add(
              'End → acknowledged',
              ackedAt - ending.sentAt,
              ending.measured,
            );
          }
          const userRef = connector.live.get(command.externalId);
          if (userRef) {
            connector.live.delete(command.externalId);
            replaced.push(userRef);
          }
        }
        // People sign in again on their own time, not the feed's.
        if (replaced.length) {
          this.replacing.push(this.replace(connector, api, replaced));
        }
      }
      connector.cursor = page.cursor;
    }
  }

  /** The same people sign in again: new sessions in place of the cut. */
  async replace(connector, api, userRefs) {
    const sessions = userRefs.map(userRef => {
      this.started += 1;
      return {
        externalId: `R${this.started}`,
        userRef,
        resourceName: `host-${this.started % 500}`,
        resourceType: 'ssh',
        device: 'laptop-1',
        ipAddress: '10.1.1.1',
        location: 'Berlin, DE',
      };
    });
    const result = await this.timed(
      'start',
      `${api}/connector/sessions/start`,
      {
        token: CONNECTOR_TOKEN,
        method: 'POST',
        body: { source: connector.source, sessions },
      },
      this.abort.signal,
    );
    if (result) {
      for (const session of sessions) {
        connector.live.set(session.externalId, session.userRef);
      }
    }
  }

  /**
   * A loop: a page (up to five deep), then the stats, then `thinkMs` of
   * reading them (none: a closed loop, taking what the backend can give).
   */
  async read(index, api, signal) {
    const all = index % 2 === 0;
    const scope = all ? 'all users' : 'one user';
    const list = `${api}/sessions?sort=lastActivityAt&limit=50${all ? '&all=true' : ''}`;
    const stats = `${api}/sessions/stats${all ? '?all=true' : ''}`;
    let cursor;
    let depth = 0;
    while (!signal.aborted) {
      const page = await this.timed(
        `list, ${scope}`,
        cursor ? `${list}&cursor=${cursor}` : list,
        {},
        signal,
      );
      depth += 1;
      cursor = depth < 5 ? page?.nextCursor : undefined;
      if (!cursor) depth = 0;
      const read = await this.timed(`stats, ${scope}`, stats, {}, signal);
      // A failing backend is not hammered in a tight loop.
      if (!page || !read) await sleep(1000, signal);
      else if (this.thinkMs) await sleep(this.thinkMs, signal);
    }
  }

  /** Ends one of the guest's sessions every 1/endsPerSecond s (open loop). */
  async end(began, signal) {
    const interval = 1000 / this.endsPerSecond;
    this.ending = [];
    let due = began;
    for (let i = 0; ; i += 1) {
      await sleepUntil(due, signal);
      if (signal.aborted) return;
      due += interval;
      const id = this.pool.pop();
      if (!id) {
        this.metrics.error('End', new Error('no live session of the guest'));
        continue;
      }
      this.ending.push(this.endOne(this.apis[i % this.apis.length], id));
    }
  }

  async endOne(api, id) {
    this.pending.set(id, {
      sentAt: performance.now(),
      measured: this.metrics.measuring,
    });
    const session = await this.timed(
      'End',
      `${api}/sessions/${id}/end`,
      { method: 'POST' },
      this.abort.signal,
    );
    // Already over (or refused): no order will come for it.
    if (!session || session.status !== 'terminating') {
      if (session) this.metrics.error('End', `${id} was ${session.status}`);
      this.pending.delete(id);
    }
  }

  /** Ends sent while measuring still waiting for their acknowledgement. */
  get waiting() {
    return [...this.pending.values()].filter(ending => ending.measured).length;
  }
}
