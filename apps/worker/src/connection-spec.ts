// Turns a team's server installation into a connection spec for the MCP pool.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { InstallationWithServer } from '@manifold/db';
import type { ConnectionSpec } from '@manifold/mcp';

interface InstallationConfig {
  url?: string;
  args?: string[];
  env?: Record<string, string>;
}

export function connectionSpecFor(installation: InstallationWithServer, dataDir: string): ConnectionSpec {
  const config = (installation.config ?? {}) as InstallationConfig;
  // Changed settings give a new pool key, so a session is never reused with stale ones; the old one idles out.
  const settings = JSON.stringify([installation.server.transport, installation.server.command, installation.server.url, config]);
  const key = `${installation.id}:${createHash('sha256').update(settings).digest('hex').slice(0, 16)}`;
  if (installation.server.transport === 'http') {
    const url = config.url ?? installation.server.url;
    if (!url) throw new Error(`Installation "${installation.name}" has no URL: set config.url.`);
    return { transport: 'http', key, url };
  }
  // Each installation works in a folder of its own, never the worker's working directory.
  const cwd = path.join(dataDir, 'servers', installation.teamId, installation.id);
  mkdirSync(cwd, { recursive: true });
  return {
    transport: 'stdio',
    key,
    command: [...installation.server.command, ...(config.args ?? [])],
    env: config.env ?? {},
    cwd,
  };
}
