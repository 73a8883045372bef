#!/usr/bin/env bash
# `pnpm test`: everything CI checks, in order of cost. Integration tests run twice:
# on PGlite (embedded default) and on the PostgreSQL at DATABASE_URL (default: local server, db `test`).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .artifacts
rm -f .artifacts/results-*.json
pg_url="${VIZFLOW_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

step() { printf '\n=== %s\n' "$*"; }

step "typecheck"
pnpm typecheck

step "lint"
pnpm lint

step "unit tests"
pnpm exec vitest run --project unit --reporter=default --reporter=json --outputFile.json=.artifacts/results-unit.json

step "integration tests on PGlite"
env -u DATABASE_URL pnpm exec vitest run --project integration --reporter=default --reporter=json \
  --outputFile.json=.artifacts/results-integration-pglite.json

step "integration tests on PostgreSQL ($pg_url)"
if ! pg_isready -q -d "$pg_url"; then
  echo "PostgreSQL is not reachable at $pg_url; start it (see README) or set VIZFLOW_TEST_DATABASE_URL" >&2
  exit 1
fi
DATABASE_URL="$pg_url" pnpm exec vitest run --project integration --reporter=default --reporter=json \
  --outputFile.json=.artifacts/results-integration-postgres.json

step "annotator in Chromium (no build needed)"
pnpm test:annotator

step "production build"
pnpm build

step "e2e tests (Chromium)"
pnpm test:e2e

step "summary"
pnpm exec tsx scripts/summarize-tests.ts
