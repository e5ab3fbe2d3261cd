-- Workers cache installation rows for a moment (one query fewer per tool call). A change or removal is
-- announced on a channel so every worker drops its copy at once instead of serving it until the TTL ends.
-- The payload is the cache key (team id / installation name), never the row: names may travel anywhere.
CREATE FUNCTION manifold_notify_installation_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('manifold_installation_changed', OLD."teamId" || '/' || OLD."name");
  RETURN NULL;
END
$$;

CREATE TRIGGER "ServerInstallation_notify_change"
AFTER UPDATE OR DELETE ON "ServerInstallation"
FOR EACH ROW EXECUTE FUNCTION manifold_notify_installation_change();
