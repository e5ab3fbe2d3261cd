// Command line of the fixture MCP server: `main.ts stdio` or `main.ts http [--port N]`.
import { parseArgs } from 'node:util';
import { parseRequiredHeader, serveHttp } from './http';
import { FixtureState } from './state';
import { serveStdio } from './stdio';

const USAGE = 'usage: main.ts stdio [--token T] | main.ts http [--port N]   (either: [--set FIXTURE_NAME=value]...)';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    // --token: a credential given as an argument (read by the `arg_token` tool as a fingerprint only).
    options: { port: { type: 'string', default: '0' }, token: { type: 'string' }, set: { type: 'string', multiple: true, default: [] } },
  });
  // Behaviour switches as arguments: team entries may not wrap their program in `env NAME=value …`.
  for (const setting of values.set) {
    const match = /^(FIXTURE_[A-Z0-9_]+)=(.*)$/s.exec(setting);
    if (!match) throw new Error(`--set takes FIXTURE_NAME=value, got "${setting}"`);
    process.env[match[1]!] = match[2]!;
  }
  const state = new FixtureState(process.env.FIXTURE_STATE_DIR || undefined);
  const mode = positionals[0];

  if (mode === 'stdio' && positionals.length === 1) return serveStdio(state);
  if (mode !== 'http' || positionals.length !== 1) throw new Error(USAGE);

  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got "${values.port}"`);
  const requireHeader = process.env.FIXTURE_REQUIRE_HEADER;
  const server = await serveHttp({ port, state, ...(requireHeader ? { requiredHeader: parseRequiredHeader(requireHeader) } : {}) });

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  process.stderr.write(`listening on ${server.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fixture server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
