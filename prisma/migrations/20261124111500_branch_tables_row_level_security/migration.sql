-- Row-level security for the tenant tables that the secrets, catalog and call-limit migrations added beside the
-- row_level_security migration: the same wall as every tenant table (see manifold_isolate_team_table there).
SELECT manifold_isolate_team_table(t)
FROM unnest(ARRAY[
  'TeamKey', 'Secret', 'SecretVersion',
  'ToolSnapshot', 'TeamServerPolicy', 'ServerTierAlert',
  'InstallationCallGate', 'InstallationCallLease', 'CircuitEvent'
]) AS t;
