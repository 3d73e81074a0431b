#!/usr/bin/env node
/*
 * Session simulator: plays several connectors (an SSH bastion, an RDP
 * gateway, a web proxy and the portal's own sign-ins) against the connector
 * routes of the sessions backend, exactly as a real gateway would: sessions
 * start, show activity, go quiet and end. It uses nothing but the public
 * connector API and a service token.
 *
 *   npm run simulate                  # until Ctrl-C
 *   npm run simulate -- --minutes 10  # stop by itself after 10 minutes
 *
 * Environment: SESSIONS_API_URL (default http://localhost:7007/api/sessions),
 * SESSIONS_CONNECTOR_TOKEN (default: the dev token in app-config.yaml),
 * SIMULATOR_TICK_MS (default 5000).
 */

const API =
  process.env.SESSIONS_API_URL ?? 'http://localhost:7007/api/sessions';
const TOKEN =
  process.env.SESSIONS_CONNECTOR_TOKEN ?? 'dev-only-simulator-token-0123456789';
const TICK_MS = Number(process.env.SIMULATOR_TICK_MS ?? 5000);
const minutesArg = process.argv.indexOf('--minutes');
const STOP_AT =
  minutesArg > 0
    ? Date.now() + Number(process.argv[minutesArg + 1]) * 60_000
    : Infinity;

const GUEST = 'user:development/guest';
const USERS = [
  GUEST,
  'user:default/jane.doe',
  'user:default/sam.lee',
  'user:default/priya.k',
];

const CONNECTORS = {
  'ssh-bastion': {
    type: 'ssh',
    resources: [
      'bastion-prod-1',
      'db-replica-2',
      'build-runner-7',
      'k8s-node-13',
    ],
    devices: ['MacBook Pro (jane)', 'ThinkPad X1', 'dev-vm-42', 'Pixelbook'],
  },
  'rdp-gateway': {
    type: 'rdp',
    resources: ['win-jump-01', 'finance-terminal', 'qa-windows-11'],
    devices: ['Surface Laptop', 'Dell Latitude 7440', 'Windows 365 Cloud PC'],
  },
  'web-proxy': {
    type: 'web',
    resources: [
      'grafana.internal',
      'argocd.internal',
      'jenkins.internal',
      'vault.internal',
    ],
    devices: ['Chrome on macOS', 'Firefox on Ubuntu', 'Edge on Windows'],
  },
  portal: {
    type: 'portal',
    resources: ['Backstage portal'],
    devices: ['Chrome on macOS', 'Safari on iPhone', 'Firefox on Windows'],
  },
};

const LOCATIONS = [
  ['Berlin, DE', '192.0.2.'],
  ['Austin, US', '198.51.100.'],
  ['Bangalore, IN', '203.0.113.'],
  ['Dublin, IE', '192.0.2.'],
  ['São Paulo, BR', '198.51.100.'],
];

/** Sessions the simulator believes are live at their source. */
const live = new Map(); // key `${source}/${externalId}` -> { source, externalId, busy, pinned }
let counter = 0;
const pick = list => list[Math.floor(Math.random() * list.length)];
const minutesAgo = m => new Date(Date.now() - m * 60_000).toISOString();

async function call(path, body) {
  const res = await fetch(`${API}/connector/sessions/${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${TOKEN}`,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

function newSession(
  source,
  { userRef, resourceName, startedMinutesAgo = 0, quietMinutes = 0 },
) {
  const connector = CONNECTORS[source];
  const [location, net] = pick(LOCATIONS);
  counter += 1;
  const device = pick(connector.devices);
  return {
    externalId: `${source}-${process.pid}-${counter}`,
    userRef: userRef ?? pick(USERS),
    resourceName: resourceName ?? pick(connector.resources),
    resourceType: connector.type,
    device,
    userAgent:
      source === 'web-proxy' || source === 'portal'
        ? `Mozilla/5.0 (${device})`
        : undefined,
    ipAddress: `${net}${10 + (counter % 200)}`,
    location,
    startedAt: minutesAgo(startedMinutesAgo),
    lastActivityAt: minutesAgo(Math.min(quietMinutes, startedMinutesAgo)),
  };
}

async function start(source, sessions, flags = {}) {
  const result = await call('start', { source, sessions });
  for (const s of sessions) {
    if (!result.ended.includes(s.externalId)) {
      live.set(`${source}/${s.externalId}`, {
        source,
        externalId: s.externalId,
        ...flags,
      });
    }
  }
}

/** A varied first picture: the guest's own sessions of every kind and age. */
async function seed() {
  await start(
    'ssh-bastion',
    [
      newSession('ssh-bastion', {
        userRef: GUEST,
        resourceName: 'bastion-prod-1',
        startedMinutesAgo: 32,
      }),
    ],
    { busy: true, pinned: true },
  );
  await start(
    'rdp-gateway',
    [
      newSession('rdp-gateway', {
        userRef: GUEST,
        resourceName: 'win-jump-01',
        startedMinutesAgo: 150,
      }),
    ],
    { busy: true },
  );
  await start(
    'web-proxy',
    [
      newSession('web-proxy', {
        userRef: GUEST,
        resourceName: 'grafana.internal',
        startedMinutesAgo: 3120,
        quietMinutes: 3,
      }),
    ],
    { busy: false },
  );
  await start(
    'portal',
    [
      newSession('portal', { userRef: GUEST, startedMinutesAgo: 75 }),
      newSession('portal', {
        userRef: GUEST,
        startedMinutesAgo: 1500,
        quietMinutes: 1,
      }),
    ],
    { busy: true },
  );
  await start(
    'ssh-bastion',
    [
      newSession('ssh-bastion', {
        userRef: GUEST,
        resourceName: 'db-replica-2',
        startedMinutesAgo: 20,
        quietMinutes: 6,
      }),
    ],
    { busy: false },
  );
  for (const source of Object.keys(CONNECTORS)) {
    const others = USERS.slice(1).map(userRef =>
      newSession(source, {
        userRef,
        startedMinutesAgo: Math.floor(Math.random() * 600),
      }),
    );
    await start(source, others, { busy: true });
  }
}

function bySource(entries) {
  const groups = new Map();
  for (const entry of entries) {
    groups.set(entry.source, [...(groups.get(entry.source) ?? []), entry]);
  }
  return groups;
}

/** One step of life: heartbeats, a new session now and then, an end now and then. */
async function tick() {
  for (const [source, entries] of bySource(
    [...live.values()].filter(e => e.busy),
  )) {
    const result = await call('activity', {
      source,
      activity: entries.map(e => ({ externalId: e.externalId })),
    });
    // Ended in the portal or by the sweep: cut it here, as a gateway would.
    for (const externalId of [...result.ended, ...result.unknown]) {
      live.delete(`${source}/${externalId}`);
    }
  }
  if (Math.random() < 0.3) {
    const source = pick(Object.keys(CONNECTORS));
    const session = newSession(source, {
      userRef: Math.random() < 0.4 ? GUEST : undefined,
    });
    await start(source, [session], { busy: Math.random() < 0.7 });
  }
  const endable = [...live.values()].filter(e => !e.pinned);
  if (endable.length > 8 && Math.random() < 0.2) {
    const victim = pick(endable);
    await call('end', {
      source: victim.source,
      sessions: [{ externalId: victim.externalId }],
    });
    live.delete(`${victim.source}/${victim.externalId}`);
  }
  // Now and then a busy session goes quiet, so idle states appear.
  if (Math.random() < 0.1) {
    const busy = [...live.values()].filter(e => e.busy && !e.pinned);
    if (busy.length) pick(busy).busy = false;
  }
}

async function waitForBackend() {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      const res = await fetch(`${API}/health`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`No sessions backend at ${API}`);
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

async function main() {
  console.log(`[simulator] waiting for ${API}`);
  await waitForBackend();
  await seed();
  console.log(
    `[simulator] seeded ${live.size} sessions; ticking every ${TICK_MS} ms`,
  );
  while (Date.now() < STOP_AT) {
    await new Promise(resolve => setTimeout(resolve, TICK_MS));
    try {
      await tick();
    } catch (error) {
      console.error(`[simulator] ${error.message}`);
    }
  }
  console.log('[simulator] done');
}

main().catch(error => {
  console.error(`[simulator] ${error.stack ?? error}`);
  process.exit(1);
});
