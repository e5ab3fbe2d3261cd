// Runs the `manifold` CLI against the e2e stack's database, as automation would.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

export async function bootstrapTeam(label: string): Promise<{ teamId: string; apiKey: string; email: string; password: string }> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  const password = `pw-${randomUUID()}`;
  const { stdout } = await run(
    path.join(root, 'node_modules/.bin/tsx'),
    ['apps/cli/src/main.ts', 'bootstrap', '--email', email, '--password', password, '--team', `${label} team`, '--json'],
    { cwd: root, env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, TEMPORAL_ADDRESS: process.env.E2E_TEMPORAL_ADDRESS } },
  );
  const { teamId, apiKey } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { teamId: string; apiKey: string };
  return { teamId, apiKey, email, password };
}
