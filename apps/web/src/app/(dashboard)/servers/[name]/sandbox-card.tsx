// What a stdio installation's server process gets: shown before it first runs, so a person can check that a
// server reaches only what it should (docs/hosting.md, "The stdio server sandbox").
import type { SandboxPolicyView } from '@manifold/core';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';

const MODE_TEXT: Record<SandboxPolicyView['mode'], { tone: 'green' | 'amber' | 'red'; label: string; detail: string }> = {
  required: { tone: 'green', label: 'sandboxed', detail: 'The worker refuses to start it without a working sandbox.' },
  optional: {
    tone: 'amber',
    label: 'sandboxed where available',
    detail: 'Development mode: a worker without bubblewrap runs it unsandboxed (and says so in its log).',
  },
  off: { tone: 'red', label: 'not sandboxed', detail: 'MANIFOLD_SANDBOX=off: it runs with the worker’s view of the machine.' },
};

export function SandboxCard({ policy }: { policy: SandboxPolicyView }) {
  const mode = MODE_TEXT[policy.mode];
  const { limits } = policy;
  return (
    <Card className="h-fit" data-testid="sandbox-policy">
      <CardHeader>
        <div>
          <CardTitle>Sandbox</CardTitle>
          <CardDescription>Its own user, process, network and file-system view; its folder is its only storage.</CardDescription>
        </div>
      </CardHeader>
      <CardContent>
        <dl className="space-y-3 text-sm">
          <div>
            <dt className="text-xs font-medium text-zinc-500">Isolation</dt>
            <dd className="mt-0.5">
              <Badge tone={mode.tone} data-testid="sandbox-mode">
                {mode.label}
              </Badge>
              <p className="mt-1 text-xs text-zinc-500">{mode.detail}</p>
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-zinc-500">Network</dt>
            <dd className="mt-0.5" data-testid="sandbox-network">
              {policy.network.mode === 'none' ? (
                'None: no address outside the sandbox, Manifold’s own ports included.'
              ) : (
                <>
                  Only through the egress proxy (SSRF rules apply, never Manifold’s own ports), to:
                  <ul className="mt-1 list-inside list-disc font-mono text-xs">
                    {policy.network.targets.map((target) => (
                      <li key={target}>{target}</li>
                    ))}
                  </ul>
                </>
              )}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-zinc-500">Limits per process</dt>
            <dd className="mt-0.5 text-xs" data-testid="sandbox-limits">
              {limits.memoryMiB} MiB memory · {limits.cpuSeconds} s CPU · {limits.processes} processes · {limits.openFiles} open files ·{' '}
              {limits.fileSizeMiB} MiB per file
            </dd>
          </div>
        </dl>
      </CardContent>
    </Card>
  );
}
