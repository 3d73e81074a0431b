#!/usr/bin/env bash
# Points the backend tests at the local PostgreSQL and MariaDB/MySQL servers,
# so that a skipped database is a visible choice, not an accident. Sourced by
# scripts/test.sh. Override any variable to use other servers.

: "${PGHOST_URL:=postgresql://postgres@127.0.0.1:5432}"
: "${MYSQL_HOST:=127.0.0.1}"
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-$PGHOST_URL}"

# backend-test-utils wants a user with a password in the MySQL URL; the local
# MariaDB has root without one, so create a dedicated test user. It gets only
# what the tests need: everything on the databases backend-test-utils makes
# (named db<32 hex digits>), and PROCESS to read information_schema.innodb_trx
# (lateCommits.test.ts watches a transaction wait for a lock) — not the rest
# of the developer's server. Earlier versions of this script granted all on
# *.*; the REVOKE takes that back.
if [ -z "${BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING:-}" ]; then
  if command -v mariadb >/dev/null 2>&1 &&
    mariadb -uroot -h"$MYSQL_HOST" -e "
      CREATE USER IF NOT EXISTS 'backstage'@'%' IDENTIFIED BY 'backstage';
      CREATE USER IF NOT EXISTS 'backstage'@'localhost' IDENTIFIED BY 'backstage';
      REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'backstage'@'%', 'backstage'@'localhost';
      GRANT ALL PRIVILEGES ON \`db%\`.* TO 'backstage'@'%', 'backstage'@'localhost';
      GRANT PROCESS ON *.* TO 'backstage'@'%', 'backstage'@'localhost';
      FLUSH PRIVILEGES;" 2>/dev/null; then
    # The path segment is required by the URL parser; each test database
    # gets its own generated name.
    export BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING="mysql://backstage:backstage@$MYSQL_HOST:3306/tests"
  else
    echo "[test] WARNING: no MariaDB/MySQL reachable at $MYSQL_HOST:3306; MYSQL_8 tests are skipped" >&2
  fi
fi

if ! (echo > /dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  echo "[test] WARNING: no PostgreSQL at 127.0.0.1:5432; POSTGRES_15 tests are skipped" >&2
  unset BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
fi
echo "[test] databases: SQLITE_3${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:+ POSTGRES_15}${BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING:+ MYSQL_8}"
