/*
 * The README's install steps, written into an app that
 * `@backstage/create-app` laid out, exactly as an adopter would type them.
 *
 * Each step inserts the README's lines next to a line of create-app's own
 * template (the anchor). A missing anchor fails the run: the template moved
 * and these steps need a look, rather than silently testing something else.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The packages each workspace installs, as the README lists them. */
export const README_PACKAGES = {
  'packages/backend': [
    '@active-sessions/plugin-sessions-backend',
    '@active-sessions/plugin-catalog-backend-module-sessions-group-owners',
    '@active-sessions/plugin-auth-backend-module-sessions-guest-provider',
  ],
  'packages/app': ['@active-sessions/plugin-sessions'],
  'packages/app-legacy': ['@active-sessions/plugin-sessions'],
};

/** Every package we publish; the install needs them all (dependencies). */
export const PUBLISHED_PACKAGES = [
  '@active-sessions/plugin-sessions',
  '@active-sessions/plugin-sessions-backend',
  '@active-sessions/plugin-sessions-common',
  '@active-sessions/plugin-sessions-node',
  '@active-sessions/plugin-auth-backend-module-sessions-guest-provider',
  '@active-sessions/plugin-catalog-backend-module-sessions-group-owners',
];

/** The README's backend lines (packages/backend/src/index.ts). */
export const BACKEND_IMPORT = `import { sessionsTokenCheckServiceFactory } from '@active-sessions/plugin-sessions-backend';`;
export const BACKEND_GUEST_PROVIDER = `backend.add(import('@active-sessions/plugin-auth-backend-module-sessions-guest-provider'));`;
export const BACKEND_CATALOG_MODULE = `backend.add(import('@active-sessions/plugin-catalog-backend-module-sessions-group-owners'));`;
export const BACKEND_PLUGIN = `backend.add(import('@active-sessions/plugin-sessions-backend'));`;
export const BACKEND_TOKEN_CHECK = `backend.add(sessionsTokenCheckServiceFactory);`;

/** The README's new-frontend-system lines (packages/app/src/App.tsx). */
export const NFS_IMPORT = `import sessionsPlugin from '@active-sessions/plugin-sessions/alpha';`;

/** The README's legacy-app lines (App.tsx and components/Root/Root.tsx). */
export const LEGACY_IMPORT = `import { ActiveSessionsPage, PortalSignInWatcher } from '@active-sessions/plugin-sessions';`;
export const LEGACY_ROUTE = `<Route path="/sessions" element={<ActiveSessionsPage />} />`;
export const LEGACY_WATCHER = `<PortalSignInWatcher />`;
export const LEGACY_ICON_IMPORT = `import DevicesIcon from '@material-ui/icons/Devices';`;
export const LEGACY_SIDEBAR_ITEM = `<SidebarItem icon={DevicesIcon} to="sessions" text="Active Sessions" />`;

/** The README's legacy catalog cards (components/catalog/EntityPage.tsx). */
export const LEGACY_CARDS_IMPORT = `import { EntityAccessHeldCard, EntityTeamAccessCard } from '@active-sessions/plugin-sessions';`;
export const LEGACY_USER_CARD = `<Grid item xs={12}>
  <EntityAccessHeldCard />
</Grid>`;
export const LEGACY_GROUP_CARD = `<Grid item xs={12}>
  <EntityTeamAccessCard />
</Grid>`;

/** Code as prettier may wrap it: no whitespace, no trailing commas. */
const normalized = code => code.replace(/\s+/g, '').replace(/,([)\]}])/g, '$1');

/**
 * The lines above that the README does not say (its code blocks, however
 * prettier wrapped them): the test writes only what an adopter reads.
 */
export function stepsMissingFromReadme(readme) {
  const text = normalized(readme);
  return [
    BACKEND_IMPORT,
    BACKEND_GUEST_PROVIDER,
    BACKEND_CATALOG_MODULE,
    BACKEND_PLUGIN,
    BACKEND_TOKEN_CHECK,
    NFS_IMPORT,
    LEGACY_IMPORT,
    LEGACY_ROUTE,
    LEGACY_WATCHER,
    LEGACY_ICON_IMPORT,
    LEGACY_SIDEBAR_ITEM,
    LEGACY_CARDS_IMPORT,
    LEGACY_USER_CARD,
    LEGACY_GROUP_CARD,
  ].filter(line => !text.includes(normalized(line)));
}

function edit(file, edits) {
  let text = readFileSync(file, 'utf8');
  for (const [what, anchor, replace] of edits) {
    const at = typeof anchor === 'string' ? text.indexOf(anchor) : -1;
    const match = typeof anchor === 'string' ? at >= 0 : anchor.test(text);
    if (!match) {
      throw new Error(
        `README step "${what}": create-app's ${file} has no ${anchor.description ?? anchor} any more`,
      );
    }
    text =
      typeof anchor === 'string'
        ? text.slice(0, at) + replace(anchor) + text.slice(at + anchor.length)
        : text.replace(anchor, replace);
  }
  writeFileSync(file, text);
}

const after = line => anchor => `${anchor}\n${line}`;
const before = line => anchor => `${line}\n${anchor}`;
const indent = (code, spaces) =>
  code.replace(/^/gm, ' '.repeat(spaces)).replace(/^ +$/gm, '');

/**
 * The end of the Overview's `<Grid container>` in `const <page> = (`, whose
 * Overview has `<card />` (create-app's own card there): the README's card
 * goes last, full width, below the template's half-width cards. Groups:
 * 1 all before the end, 2 the end (the container's `</Grid>` and the
 * route's end), 3 the container's indentation.
 */
const endOfOverviewGrid = (page, card) => {
  // Anything, up to the end of the page's first route (the Overview).
  const inRoute = String.raw`(?:(?!</EntityLayout\.Route>)[^])*?`;
  return Object.assign(
    new RegExp(
      String.raw`(const ${page} = \(\s*<EntityLayout>\s*<EntityLayout\.Route path="/" title="Overview">\s*<Grid container${inRoute}<${card} />${inRoute})(\n( *)</Grid>\s*</EntityLayout\.Route>)`,
    ),
    {
      description: `\`const ${page} = (\` with a first route "Overview" of a <Grid container> that has <${card} />`,
    },
  );
};
const lastInGrid = code => (_all, grid, end, indentation) =>
  `${grid}\n${indent(code, indentation.length + 2)}${end}`;

/** Applies every README step to the app at `appDir`; returns what it did. */
export function applyReadmeSteps(appDir) {
  const done = [];

  edit(join(appDir, 'packages/backend/src/index.ts'), [
    [
      'import the token check',
      `import { createBackend } from '@backstage/backend-defaults';`,
      after(BACKEND_IMPORT),
    ],
    [
      'replace the stock guest provider',
      `backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));`,
      () => BACKEND_GUEST_PROVIDER,
    ],
    [
      'add the catalog module',
      `backend.add(import('@backstage/plugin-catalog-backend-module-logs'));`,
      after(BACKEND_CATALOG_MODULE),
    ],
    [
      'add the plugin and the token check',
      'backend.start();',
      before(`${BACKEND_PLUGIN}\n${BACKEND_TOKEN_CHECK}\n`),
    ],
  ]);
  done.push('packages/backend/src/index.ts: plugin, two modules, token check');

  edit(join(appDir, 'packages/app/src/App.tsx'), [
    [
      'import the plugin',
      `import catalogPlugin from '@backstage/plugin-catalog/alpha';`,
      after(NFS_IMPORT),
    ],
    [
      'add it to the features',
      /features: \[([^\]]*)\]/,
      (_all, list) => `features: [${list.trim()}, sessionsPlugin]`,
    ],
  ]);
  done.push('packages/app/src/App.tsx: features: [..., sessionsPlugin]');

  edit(join(appDir, 'packages/app-legacy/src/App.tsx'), [
    [
      'import the page and the watcher',
      `import { Root } from './components/Root';`,
      after(LEGACY_IMPORT),
    ],
    ['add the route', '</FlatRoutes>', before(`    ${LEGACY_ROUTE}`)],
    ['mount the watcher', '<AppRouter>', after(`      ${LEGACY_WATCHER}`)],
  ]);
  edit(join(appDir, 'packages/app-legacy/src/components/Root/Root.tsx'), [
    [
      'import the icon',
      `import MenuIcon from '@material-ui/icons/Menu';`,
      after(LEGACY_ICON_IMPORT),
    ],
    [
      'add the sidebar item',
      `<SidebarItem icon={CreateComponentIcon} to="create" text="Create..." />`,
      after(`        ${LEGACY_SIDEBAR_ITEM}`),
    ],
  ]);
  edit(
    join(appDir, 'packages/app-legacy/src/components/catalog/EntityPage.tsx'),
    [
      [
        'import the cards',
        `} from '@backstage/plugin-org';`,
        after(LEGACY_CARDS_IMPORT),
      ],
      [
        'add Access held to the User page',
        endOfOverviewGrid('userPage', 'EntityUserProfileCard'),
        lastInGrid(LEGACY_USER_CARD),
      ],
      [
        'add Team access to the Group page',
        endOfOverviewGrid('groupPage', 'EntityMembersListCard'),
        lastInGrid(LEGACY_GROUP_CARD),
      ],
    ],
  );
  done.push(
    'packages/app-legacy: route, <PortalSignInWatcher /> in <AppRouter>, sidebar item, <EntityAccessHeldCard /> on userPage, <EntityTeamAccessCard /> on groupPage',
  );
  return done;
}
