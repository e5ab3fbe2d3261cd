#!/bin/sh
# Fails when models.prisma has changes that no migration captures.
set -u
tmp=$(mktemp)
NODE_OPTIONS=--require=./scripts/unref-wasm-timers.cjs npx prisma migrate diff \
  --from-migrations ../migrations --to-schema-datamodel schema --script --exit-code > "$tmp"
code=$?
case $code in
  0) echo "Schema and migrations agree."; rm -f "$tmp"; exit 0 ;;
  2) echo "models.prisma has changes without a migration. Run: npm run db:new-migration -- <name>" >&2; cat "$tmp" >&2; rm -f "$tmp"; exit 1 ;;
  *) cat "$tmp" >&2; rm -f "$tmp"; exit $code ;;
esac
