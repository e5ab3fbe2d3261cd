import { describe, expect, it } from 'vitest';
import { launchDeclarationsOf, type LaunchDeclarations } from './launch-declarations';
import { sandboxLimitsOf, sandboxModeOf, sandboxPolicyView } from './sandbox-settings';

const settings = {
  MANIFOLD_SANDBOX: 'auto' as const,
  MANIFOLD_SANDBOX_MEMORY_MIB: 512,
  MANIFOLD_SANDBOX_CPU_SECONDS: 3600,
  MANIFOLD_SANDBOX_PROCESSES: 64,
  MANIFOLD_SANDBOX_OPEN_FILES: 1024,
  MANIFOLD_SANDBOX_FILE_SIZE_MIB: 256,
  NODE_ENV: 'development',
};
const shown = { mode: 'required' as const, limits: sandboxLimitsOf(settings) };

function declarations(meta: Record<string, unknown>, args: unknown[] = []): LaunchDeclarations {
  const parsed = launchDeclarationsOf({
    packages: [{ registryType: 'npm', identifier: 'x', packageArguments: args }],
    _meta: { 'io.manifold/catalog': meta },
  });
  if ('error' in parsed) throw new Error(parsed.error.message);
  return parsed.declarations;
}

describe('sandbox settings', () => {
  it('is required in production and optional in development; production refuses off and optional', () => {
    expect(sandboxModeOf(settings)).toBe('optional');
    expect(sandboxModeOf({ ...settings, NODE_ENV: 'production' })).toBe('required');
    expect(() => sandboxModeOf({ ...settings, NODE_ENV: 'production', MANIFOLD_SANDBOX: 'off' })).toThrow(/not allowed in production/);
    expect(() => sandboxModeOf({ ...settings, NODE_ENV: 'production', MANIFOLD_SANDBOX: 'optional' })).toThrow(/not allowed in production/);
  });
});

describe('sandboxPolicyView', () => {
  const postgres = declarations({ network: { mode: 'egress', targetsFrom: [{ arg: 'connectionString' }] } }, [
    { type: 'positional', valueHint: 'connectionString', isRequired: true, isSecret: true },
  ]);

  it('shows no network for an entry that declares none', () => {
    expect(sandboxPolicyView(declarations({}), {}, shown)).toEqual({ ...shown, network: { mode: 'none' } });
  });

  it('names a secret-bound target by its secret and never resolves it; a plain URL shows host:port only', () => {
    expect(sandboxPolicyView(postgres, { args: { connectionString: '{{ secrets.PG_URL }}' } }, shown).network).toEqual({
      mode: 'egress',
      targets: ['the host:port in secret PG_URL'],
    });
    const plain = sandboxPolicyView(postgres, { args: { connectionString: 'postgresql://u:hunter2@db.example.com:6543/app' } }, shown);
    expect(plain.network).toEqual({ mode: 'egress', targets: ['db.example.com:6543'] });
    expect(JSON.stringify(plain)).not.toContain('hunter2');
  });

  it('adds installation targets only where the entry allows them', () => {
    const config = { network: { allow: [{ host: 'api.example.com', port: 443 }] } };
    const open = declarations({ network: { mode: 'egress', targetsFrom: [], allowInstallationTargets: true } });
    const closed = declarations({ network: { mode: 'egress', targetsFrom: [], allowInstallationTargets: false } });
    expect(sandboxPolicyView(open, config, shown).network).toEqual({ mode: 'egress', targets: ['api.example.com:443'] });
    expect(sandboxPolicyView(closed, config, shown).network).toEqual({ mode: 'none' });
  });
});
