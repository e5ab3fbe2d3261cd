#!/bin/sh
# Writes prisma/migrations/<UTC timestamp>_<name>/migration.sql from the difference between the migration
# history and models.prisma (the offline replacement for `prisma migrate dev --create-only`).
set -eu
name="${1:-}"
[ -n "$name" ] || { echo "usage: npm run db:new-migration -- <name>" >&2; exit 64; }
tmp=$(mktemp)
set +e
NODE_OPTIONS=--require=./scripts/unref-wasm-timers.cjs npx prisma migrate diff \
  --from-migrations ../migrations --to-schema-datamodel schema --script --exit-code > "$tmp"
code=$?
set -e
case $code in
  0) echo "No schema changes: nothing to write."; rm -f "$tmp" ;;
  2) dir="../migrations/$(date -u +%Y%m%d%H%M%S)_$name"; mkdir -p "$dir"; mv "$tmp" "$dir/migration.sql"
     echo "Wrote ${dir#../}/migration.sql" ;;
  *) cat "$tmp" >&2; rm -f "$tmp"; exit $code ;;
esac
