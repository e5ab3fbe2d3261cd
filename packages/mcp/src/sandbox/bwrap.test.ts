import { describe, expect, it } from 'vitest';
import { buildSandboxArgv, sandboxEnvironment, type SandboxArgvOptions } from './bwrap';
import type { SandboxPolicy } from './policy';

const policy: SandboxPolicy = {
  uid: 200_007,
  folder: '/srv/manifold/.data/servers/team-1/inst-1',
  network: { mode: 'none' },
  limits: { memoryMiB: 512, cpuSeconds: 3600, processes: 64, openFiles: 1024, fileSizeMiB: 256 },
  readOnlyPaths: ['/srv/manifold/node_modules'],
};
const options: SandboxArgvOptions = {
  isRoot: true,
  layout: { folders: ['/usr', '/etc'], symlinks: [['/bin', 'usr/bin'], ['/lib', 'usr/lib']] },
};
const argv = (p: SandboxPolicy = policy, o: Partial<SandboxArgvOptions> = {}) =>
  buildSandboxArgv(p, '/usr/bin/node', ['server.js', '--flag'], { TOKEN: 'secret-value' }, { ...options, ...o });
const after = (list: string[], flag: string) => list.slice(list.indexOf(flag) + 1, list.indexOf(flag) + 3);

describe('buildSandboxArgv', () => {
  it('chains setpriv → prlimit → bwrap with the installation uid and every limit', () => {
    const list = argv();
    expect(list.slice(0, 7)).toEqual(['/usr/bin/setpriv', '--reuid=200007', '--regid=200007', '--clear-groups', '--inh-caps=-all', '--no-new-privs', '--']);
    const prlimit = list.slice(7, list.indexOf('/usr/bin/bwrap'));
    expect(prlimit).toEqual([
      '/usr/bin/prlimit',
      `--data=${512 * 1024 * 1024}`,
      '--cpu=3600:3605',
      '--nproc=64',
      '--nofile=1024',
      `--fsize=${256 * 1024 * 1024}`,
      '--core=0',
      '--',
    ]);
  });

  it('without root keeps the worker uid and leaves RLIMIT_NPROC alone (it would count all of its processes)', () => {
    const list = argv(policy, { isRoot: false });
    expect(list[0]).toBe('/usr/bin/prlimit');
    expect(list.some((a) => a.startsWith('--nproc'))).toBe(false);
  });

  it('unshares every namespace, dies with the worker, and mounts the system read-only', () => {
    const list = argv();
    for (const flag of ['--unshare-all', '--die-with-parent', '--new-session']) expect(list).toContain(flag);
    expect(list).not.toContain('--share-net');
    expect(after(list, '--ro-bind')).toEqual(['/usr', '/usr']);
    expect(list.join(' ')).toContain('--ro-bind /etc /etc');
    expect(list.join(' ')).toContain('--symlink usr/bin /bin');
    expect(list.join(' ')).toContain('--proc /proc --dev /dev --tmpfs /dev/shm --tmpfs /tmp');
    expect(list.join(' ')).toContain('--ro-bind /srv/manifold/node_modules /srv/manifold/node_modules');
    expect(list.join(' ')).toContain(`--bind ${policy.folder} ${policy.folder} --chdir ${policy.folder}`);
    expect(list.join(' ')).toContain('--remount-ro /');
    // Nothing of /run (Postgres' unix socket), the repo, or the data dir beyond the folder.
    expect(list.filter((a) => a.startsWith('/run') || a.startsWith('/var'))).toEqual([]);
    expect(list).not.toContain('/srv/manifold');
    expect(list).not.toContain('/srv/manifold/.data');
  });

  it('keeps the network private in egress mode too, adding the egress session arguments and forwarder', () => {
    const list = argv(
      { ...policy, network: { mode: 'egress', allow: [{ host: 'db.example.com', port: 5432 }] } },
      { extraBwrapArgs: ['--ro-bind', '/run/egress/sock', '/run/egress.sock'], commandPrefix: ['/usr/bin/node', '/opt/forwarder.js'] },
    );
    expect(list).toContain('--unshare-all');
    expect(list).not.toContain('--share-net');
    expect(list.slice(list.indexOf('--', list.indexOf('/usr/bin/bwrap')) + 1)).toEqual([
      '/usr/bin/node',
      '/opt/forwarder.js',
      '/usr/bin/node',
      'server.js',
      '--flag',
    ]);
    expect(list.join(' ')).toContain('--ro-bind /run/egress/sock /run/egress.sock');
  });

  it('never puts environment values in argv (cmdline is world-readable); unsets only what the spawn adds', () => {
    const list = argv(policy, { unsetEnv: ['TOKEN', 'LOGNAME', 'EXTRA'] });
    expect(list.join(' ')).not.toContain('secret-value');
    expect(list).not.toContain('--setenv');
    expect(list.join(' ')).toContain('--unsetenv LOGNAME --unsetenv EXTRA');
    expect(list.join(' ')).not.toContain('--unsetenv TOKEN');
  });

  it('refuses read-only paths that would show the data dir, and folders that are not private', () => {
    expect(() => argv({ ...policy, readOnlyPaths: ['/srv/manifold'] })).toThrow(/sandbox.readOnlyPaths: "\/srv\/manifold" contains the installation's folder/);
    expect(() => argv({ ...policy, readOnlyPaths: ['/'] })).toThrow(/contains the installation's folder/);
    expect(() => argv(policy, { programPaths: ['/srv/manifold/.data'] })).toThrow(/program: .* contains the installation's folder/);
    expect(() => argv({ ...policy, readOnlyPaths: ['relative/path'] })).toThrow(/must be an absolute path/);
    expect(() => argv({ ...policy, folder: '/srv/x/../manifold' })).toThrow(/absolute, normalized/);
    expect(() => argv({ ...policy, folder: '/etc/manifold' })).toThrow(/system folder/);
    expect(() => argv({ ...policy, folder: '/' })).toThrow(/system folder/);
    expect(() => argv({ ...policy, uid: 0 })).toThrow(/sandbox.uid must be a positive integer/);
    expect(() => argv({ ...policy, limits: { ...policy.limits, memoryMiB: 0 } })).toThrow(/sandbox.limits.memoryMiB/);
  });
});

describe('sandboxEnvironment', () => {
  it('is exactly the given variables plus a fixed base that the given ones cannot override', () => {
    expect(sandboxEnvironment(policy, { TOKEN: 't', PATH: '/evil', HOME: '/' })).toEqual({
      TOKEN: 't',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: policy.folder,
      TMPDIR: '/tmp',
      USER: 'mcp',
      LOGNAME: 'mcp',
      SHELL: '/bin/sh',
      TERM: 'dumb',
    });
  });
});
