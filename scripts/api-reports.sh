#!/usr/bin/env bash
# `npm run api-reports`: writes each publishable package's API report
# (report*.api.md, committed) from the declarations in dist-types;
# `npm run api-reports -- --ci` fails instead when a public name changed
# and its report was not updated, so the change is seen in review.
# Every export carries a release tag (@public or @alpha); undocumented
# members are allowed, as in backstage/community-plugins.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-version.sh
if [ ! -d dist-types/plugins ] || [ "${API_REPORTS_TSC:-1}" = "1" ]; then
  rm -rf dist-types
  npx tsc
fi
# The repo tools send usage data through a postinstall dependency; not from here.
export SCARF_ANALYTICS=false
npx backstage-repo-tools api-reports "$@" \
  -o ae-wrong-input-file-type,ae-undocumented --validate-release-tags \
  plugins/sessions-common plugins/sessions-node plugins/sessions-backend \
  plugins/sessions plugins/auth-backend-module-sessions-guest-provider \
  plugins/catalog-backend-module-sessions-group-owners \
  plugins/scaffolder-backend-module-sessions
