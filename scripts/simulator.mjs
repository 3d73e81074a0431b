#!/usr/bin/env node
/*
 * Session simulator: plays several connectors (an SSH bastion, an RDP
 * gateway and a web proxy; portal sign-ins are real, from the portal itself)
 * against the connector routes of the sessions backend, exactly as a real
 * gateway would: sessions start, show activity, go quiet and end; the RDP
 * gateway attaches a recording at the start, the bastion once a session
 * is over. Two more
 * connectors report elevated grants: a privilege broker (admin/sudo on
 * devices) and an access-request workflow (timed access to resources);
 * grants start, expire, and now and then end early at their source. It uses
 * nothing but the public connector API and a service token.
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

const pick = list => list[Math.floor(Math.random() * list.length)];

const GUEST = 'user:development/guest';
/** Someone leaving: a few sessions and a grant to offboard from People. */
const LEAVER = 'user:default/alex.leaver';
const USERS = [
  GUEST,
  'user:default/jane.doe',
  'user:default/sam.lee',
  'user:default/priya.k',
];

const CONNECTORS = {
  'ssh-bastion': {
    type: 'ssh',
    // bastion-prod-1 is not in the pool: only the pinned guest session uses
    // it, so the browser test always finds exactly one row for it.
    resources: [
      'bastion-dev-2',
      'db-replica-2',
      'build-runner-7',
      'k8s-node-13',
    ],
    devices: ['ThinkPad X1', 'MacBook Pro (jane)', 'dev-vm-42', 'Pixelbook'],
  },
  'rdp-gateway': {
    type: 'rdp',
    resources: ['win-jump-01', 'finance-terminal', 'qa-windows-11'],
    devices: [
      'Surface Laptop',
      'Dell Latitude 7440',
      'Windows 365 Cloud PC',
      'HP EliteBook 840',
    ],
  },
  'web-proxy': {
    type: 'web',
    resources: [
      'grafana.internal',
      'argocd.internal',
      'jenkins.internal',
      'vault.internal',
    ],
    devices: [
      'Firefox on Ubuntu',
      'Chrome on macOS',
      'Edge on Windows',
      'Safari on macOS',
    ],
  },
};

/** Who approves the grants a connector reports. */
let accessRequest = 4820;
const pickAdmin = () =>
  pick(['user:default/it-admin', 'user:default/helpdesk.oncall']);
const nextAccessRequest = () => `access-request #${(accessRequest += 1)}`;

/** Connectors that report elevated grants: what they grant, on what. */
const GRANT_CONNECTORS = {
  'priv-broker': {
    kind: 'device_admin',
    targets: [
      ['MBP-JDOE-14', 'device'],
      ['ws-build-03', 'device'],
      ['MBP-GUEST-07', 'device'],
      ['win-qa-11', 'device'],
      ['lnx-gpu-02', 'device'],
    ],
    grantedBy: pickAdmin,
    reasons: [
      'Install Xcode command line tools',
      'Update a kernel extension',
      'Debug a failing build agent',
      'Install a printer driver',
    ],
  },
  'access-requests': {
    kind: 'timed_access',
    targets: [
      ['prod-db-readonly', 'database'],
      ['aws-billing', 'aws-account'],
      ['k8s-payments', 'k8s-namespace'],
      ['vault-prod-secrets', 'vault-path'],
      ['grafana-admin', 'web-app'],
    ],
    // Approved in a request workflow: the request is the grantor.
    grantedBy: nextAccessRequest,
    reasons: [
      'Investigate incident INC-2291',
      'Monthly cost report',
      'Roll back a payments deployment',
      'Rotate a leaked API key',
    ],
  },
};

/**
 * The guest's timed access on these resources is what the browser test
 * revokes (e2e/run.mjs): the simulator grants it for hours, never ends it
 * itself and never grants the guest a second one on the same resource.
 */
const PINNED_GRANT_TARGETS = ['prod-db-readonly', 'aws-billing'];

const LOCATIONS = [
  ['Austin, US', '198.51.100.'],
  ['Berlin, DE', '192.0.2.'],
  ['Bangalore, IN', '203.0.113.'],
  ['Dublin, IE', '192.0.2.'],
  ['São Paulo, BR', '198.51.100.'],
];

/**
 * Everyone works from their own devices in their home town, as people do;
 * now and then a session comes from elsewhere on something else, and the
 * portal flags it as unusual.
 */
function habitsOf(userRef, source) {
  const index = Math.max([...USERS, LEAVER].indexOf(userRef), 0);
  const devices = CONNECTORS[source].devices;
  return {
    device: devices[index % devices.length],
    location: LOCATIONS[index % LOCATIONS.length],
    otherDevice: devices[(index + 1) % devices.length],
    elsewhere: LOCATIONS[(index + 2) % LOCATIONS.length],
  };
}

/** Sessions the simulator believes are live at their source. */
const live = new Map(); // key `${source}/${externalId}` -> { source, externalId, busy, pinned }
/** Grants the simulator believes are in force at their source. */
const granted = new Map(); // key `${source}/${externalId}` -> { source, grant, pinned }
let counter = 0;
const minutesAgo = m => new Date(Date.now() - m * 60_000).toISOString();
const minutesFromNow = m => minutesAgo(-m);
const HOUR = 60; // minutes
const DAY = 24 * HOUR;

/** POSTs to a connector route, such as `sessions/start` or `grants/report`. */
async function call(path, body) {
  const res = await fetch(`${API}/connector/${path}`, {
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
  {
    userRef = pick(USERS),
    resourceName,
    startedMinutesAgo = 0,
    quietMinutes = 0,
    unusual = false,
  },
) {
  const connector = CONNECTORS[source];
  const habits = habitsOf(userRef, source);
  const [location, net] = unusual ? habits.elsewhere : habits.location;
  const device = unusual ? habits.otherDevice : habits.device;
  counter += 1;
  const externalId = `${source}-${process.pid}-${counter}`;
  return {
    externalId,
    userRef,
    resourceName: resourceName ?? pick(connector.resources),
    resourceType: connector.type,
    device,
    userAgent: source === 'web-proxy' ? `Mozilla/5.0 (${device})` : undefined,
    ipAddress: `${net}${10 + (counter % 200)}`,
    location,
    startedAt: minutesAgo(startedMinutesAgo),
    lastActivityAt: minutesAgo(Math.min(quietMinutes, startedMinutesAgo)),
    // The RDP gateway records every session as it happens.
    recording:
      source === 'rdp-gateway'
        ? { url: recordingUrl(source, externalId, 'mp4'), kind: 'video' }
        : undefined,
  };
}

/** Where the simulated recorders keep their files. */
function recordingUrl(source, externalId, extension) {
  return `https://recordings.example.com/${source}/${externalId}.${extension}`;
}

async function start(source, sessions, flags = {}) {
  const result = await call('sessions/start', { source, sessions });
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

/**
 * What everyone did last week, from their usual devices and places: the
 * history new sessions are compared with, so only the unusual are flagged.
 */
async function seedHistory() {
  for (const source of Object.keys(CONNECTORS)) {
    const sessions = [...USERS, LEAVER].map(userRef =>
      newSession(source, { userRef, startedMinutesAgo: 5 * DAY }),
    );
    await call('sessions/start', { source, sessions });
    await call('sessions/end', {
      source,
      sessions: sessions.map(({ externalId }) => ({
        externalId,
        at: minutesAgo(5 * DAY - HOUR),
      })),
    });
  }
}

/**
 * A varied first picture: the guest's own sessions of every kind and age,
 * one of them from a device and a place the guest does not use.
 */
async function seedSessions() {
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
    // The browser test opens its recording: only the guest ends it.
    { busy: true, pinned: true },
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
    'ssh-bastion',
    [
      newSession('ssh-bastion', {
        userRef: GUEST,
        resourceName: 'db-replica-2',
        startedMinutesAgo: 20,
        quietMinutes: 6,
        unusual: true,
      }),
    ],
    // The browser test looks for its flag: only the guest or the sweep ends it.
    { busy: false, pinned: true },
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

/**
 * A grant as the connector reports it. `minutesLeft` is the time until it
 * expires; `startedMinutesAgo` how long it has been in force.
 */
function newGrant(
  source,
  { userRef, target, startedMinutesAgo = 0, minutesLeft, reason },
) {
  const connector = GRANT_CONNECTORS[source];
  const [name, targetType] = target
    ? connector.targets.find(([candidate]) => candidate === target)
    : pick(connector.targets);
  counter += 1;
  return {
    externalId: `${source}-${process.pid}-${counter}`,
    kind: connector.kind,
    userRef: userRef ?? pick(USERS),
    target: name,
    targetType,
    grantedBy: connector.grantedBy(),
    reason: reason ?? pick(connector.reasons),
    startsAt: minutesAgo(startedMinutesAgo),
    expiresAt: minutesFromNow(minutesLeft),
  };
}

/** Reports new grants and keeps those the portal has not already ended. */
async function reportGrants(source, grants, flags = {}) {
  const result = await call('grants/report', { source, grants });
  for (const grant of grants) {
    if (!result.ended.includes(grant.externalId)) {
      granted.set(`${source}/${grant.externalId}`, { source, grant, ...flags });
    }
  }
}

/**
 * The guest holds admin rights on devices and timed access to resources:
 * some expire within minutes (watch them go), others last hours or days.
 */
async function seedGrants() {
  await reportGrants(
    'access-requests',
    PINNED_GRANT_TARGETS.map((target, index) =>
      newGrant('access-requests', {
        userRef: GUEST,
        target,
        startedMinutesAgo: 20,
        minutesLeft: (4 + index * 2) * HOUR,
      }),
    ),
    { pinned: true },
  );
  await reportGrants('access-requests', [
    newGrant('access-requests', {
      userRef: GUEST,
      target: 'k8s-payments',
      startedMinutesAgo: 25,
      minutesLeft: 3,
      reason: 'Roll back a payments deployment',
    }),
    newGrant('access-requests', {
      userRef: GUEST,
      target: 'vault-prod-secrets',
      startedMinutesAgo: 5,
      minutesLeft: 2 * DAY,
    }),
  ]);
  await reportGrants('priv-broker', [
    newGrant('priv-broker', {
      userRef: GUEST,
      target: 'MBP-GUEST-07',
      startedMinutesAgo: 10,
      minutesLeft: 2,
      reason: 'Install Xcode command line tools',
    }),
    newGrant('priv-broker', {
      userRef: GUEST,
      target: 'MBP-JDOE-14',
      startedMinutesAgo: 15,
      minutesLeft: 5,
      reason: "Recover jane.doe's keychain",
    }),
    newGrant('priv-broker', {
      userRef: GUEST,
      target: 'ws-build-03',
      startedMinutesAgo: 90,
      minutesLeft: 8 * HOUR,
      reason: 'Debug a failing build agent',
    }),
    newGrant('priv-broker', {
      userRef: GUEST,
      target: 'lnx-gpu-02',
      startedMinutesAgo: 2 * DAY,
      minutesLeft: 3 * DAY,
    }),
  ]);
  for (const source of Object.keys(GRANT_CONNECTORS)) {
    const others = USERS.slice(1).map(userRef =>
      newGrant(source, {
        userRef,
        startedMinutesAgo: Math.floor(Math.random() * 120),
        minutesLeft: pick([4, 45, 6 * HOUR, DAY]),
      }),
    );
    await reportGrants(source, others);
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
async function tickSessions() {
  for (const [source, entries] of bySource(
    [...live.values()].filter(e => e.busy),
  )) {
    const result = await call('sessions/activity', {
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
      unusual: Math.random() < 0.1,
    });
    await start(source, [session], { busy: Math.random() < 0.7 });
  }
  const endable = [...live.values()].filter(e => !e.pinned);
  if (endable.length > 8 && Math.random() < 0.2) {
    const victim = pick(endable);
    await call('sessions/end', {
      source: victim.source,
      sessions: [{ externalId: victim.externalId }],
    });
    live.delete(`${victim.source}/${victim.externalId}`);
    // The bastion uploads an SSH session's typescript once it is over.
    if (victim.source === 'ssh-bastion') {
      await call('sessions/recording', {
        source: victim.source,
        recordings: [
          {
            externalId: victim.externalId,
            url: recordingUrl(victim.source, victim.externalId, 'cast'),
            kind: 'asciicast',
          },
        ],
      });
    }
  }
  // Now and then a busy session goes quiet, so idle states appear.
  if (Math.random() < 0.1) {
    const busy = [...live.values()].filter(e => e.busy && !e.pinned);
    if (busy.length) pick(busy).busy = false;
  }
}

/**
 * One step of grants: report the grants in force again (idempotent; the
 * answer names those revoked in the portal), grant something new now and
 * then, and now and then end one early at the source.
 */
async function tickGrants() {
  // Past its expiry a grant lapses at the source by itself, as in the portal.
  for (const [key, entry] of granted) {
    if (Date.parse(entry.grant.expiresAt) <= Date.now()) granted.delete(key);
  }
  for (const [source, entries] of bySource([...granted.values()])) {
    const result = await call('grants/report', {
      source,
      grants: entries.map(entry => entry.grant),
    });
    // Revoked in the portal: take the privilege away here, as a broker would.
    for (const externalId of result.ended) {
      granted.delete(`${source}/${externalId}`);
    }
  }
  if (granted.size < 30 && Math.random() < 0.15) {
    const source = pick(Object.keys(GRANT_CONNECTORS));
    const userRef = Math.random() < 0.4 ? GUEST : pick(USERS.slice(1));
    const targets = GRANT_CONNECTORS[source].targets
      .map(([name]) => name)
      .filter(
        name => userRef !== GUEST || !PINNED_GRANT_TARGETS.includes(name),
      );
    const grant = newGrant(source, {
      userRef,
      target: pick(targets),
      // Half of them short, so expiries happen while you watch.
      minutesLeft:
        Math.random() < 0.5 ? pick([2, 3, 5]) : pick([HOUR, 8 * HOUR, DAY]),
    });
    await reportGrants(source, [grant]);
  }
  const endable = [...granted.values()].filter(entry => !entry.pinned);
  if (endable.length > 8 && Math.random() < 0.05) {
    const victim = pick(endable);
    await call('grants/end', {
      source: victim.source,
      grants: [{ externalId: victim.grant.externalId }],
    });
    granted.delete(`${victim.source}/${victim.grant.externalId}`);
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

/** Where each connector is in the order feed. */
const feedCursor = new Map();

/**
 * Carries out the orders the portal wrote for our connectors, as a gateway
 * would: read the feed after the last order seen, cut the session or take
 * the grant away, acknowledge. (A real connector would use `wait` to
 * long-poll; the simulator reads without waiting once per tick.)
 */
async function followOrders() {
  const sources = new Set([
    ...[...live.values()].map(entry => entry.source),
    ...[...granted.values()].map(entry => entry.source),
  ]);
  for (const source of sources) {
    const after = feedCursor.get(source) ?? 0;
    const res = await fetch(
      `${API}/connector/commands?source=${source}&after=${after}`,
      { headers: { Authorization: `Bearer ${TOKEN}` } },
    );
    if (!res.ok) throw new Error(`commands answered ${res.status}`);
    const { commands, cursor } = await res.json();
    if (commands.length === 0) continue;
    for (const command of commands) {
      const key = `${source}/${command.externalId}`;
      const known = command.action === 'end_session' ? live : granted;
      command.outcome = known.delete(key) ? 'done' : 'not_found';
    }
    await call('commands/ack', {
      source,
      acks: commands.map(({ id, outcome }) => ({ id, outcome })),
    });
    feedCursor.set(source, cursor);
  }
}

/** The leaver's access, pinned: only offboarding ends it. */
async function seedLeaver() {
  await start(
    'ssh-bastion',
    [
      newSession('ssh-bastion', {
        userRef: LEAVER,
        resourceName: 'bastion-prod-2',
        startedMinutesAgo: 45,
      }),
    ],
    { busy: true, pinned: true },
  );
  await start(
    'web-proxy',
    [newSession('web-proxy', { userRef: LEAVER, startedMinutesAgo: 10 })],
    { busy: true, pinned: true },
  );
  await reportGrants(
    'priv-broker',
    [
      newGrant('priv-broker', {
        userRef: LEAVER,
        target: 'lnx-gpu-02',
        startedMinutesAgo: 30,
        minutesLeft: 6 * HOUR,
      }),
    ],
    { pinned: true },
  );
}

async function main() {
  console.log(`[simulator] waiting for ${API}`);
  await waitForBackend();
  await seedHistory();
  await seedSessions();
  await seedGrants();
  await seedLeaver();
  console.log(
    `[simulator] seeded ${live.size} sessions and ${granted.size} grants; ticking every ${TICK_MS} ms`,
  );
  while (Date.now() < STOP_AT) {
    await new Promise(resolve => setTimeout(resolve, TICK_MS));
    for (const tick of [followOrders, tickSessions, tickGrants]) {
      try {
        await tick();
      } catch (error) {
        console.error(`[simulator] ${error.message}`);
      }
    }
  }
  console.log('[simulator] done');
}

main().catch(error => {
  console.error(`[simulator] ${error.stack ?? error}`);
  process.exit(1);
});
