-- An installation's config.args became an object keyed by the arguments its catalog entry declares (server.json
-- packageArguments); stored argument arrays carry no names. server-postgres's single argument was its
-- connection string: it becomes {"connectionString": …} (a plain password there now fails at launch, naming
-- the field, until it is bound as a secret). Every other array is dropped: those arguments were never
-- declared (server-filesystem's were the way to widen its root beyond the installation folder).
UPDATE "ServerInstallation" AS i
SET "config" = CASE
    WHEN s."ownerKey" = 'public' AND s."slug" = 'server-postgres' AND jsonb_array_length(i."config" -> 'args') = 1
      THEN jsonb_set(i."config", '{args}', jsonb_build_object('connectionString', i."config" -> 'args' -> 0))
    ELSE i."config" - 'args'
  END
FROM "McpServer" AS s
WHERE s."id" = i."serverId" AND jsonb_typeof(i."config" -> 'args') = 'array';
