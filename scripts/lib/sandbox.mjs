// The system parts the stdio server sandbox needs: bubblewrap (bwrap) and util-linux (setpriv, prlimit; part of
// every Debian install). Installed with apt when missing and we may; otherwise one line on how to get them.
import { existsSync } from 'node:fs';
import { run, runOrFail } from './proc.mjs';

const TOOLS = { bwrap: 'bubblewrap', setpriv: 'util-linux', prlimit: 'util-linux' };
const missingPackages = () => [...new Set(Object.entries(TOOLS).filter(([tool]) => !existsSync(`/usr/bin/${tool}`)).map(([, pkg]) => pkg))];

/** @returns {Promise<{ detail: string, skipped?: boolean }>} */
export async function ensureSandboxTools() {
  if (process.platform !== 'linux') return { detail: `not on Linux: stdio servers run unsandboxed (development only)`, skipped: true };
  let missing = missingPackages();
  if (missing.length && existsSync('/usr/bin/apt-get')) {
    const sudo = process.getuid?.() === 0 ? [] : existsSync('/usr/bin/sudo') ? ['sudo', '-n'] : null;
    if (sudo) {
      const [command, ...prefix] = [...sudo, 'apt-get'];
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      // A stale package list is the usual reason an install finds nothing; update only then.
      const first = await run('apt-get', command, [...prefix, 'install', '-y', ...missing], { env });
      if (!first.ok) {
        await runOrFail('apt-get', command, [...prefix, 'update'], { env, failMessage: 'apt-get update failed' });
        await runOrFail('apt-get', command, [...prefix, 'install', '-y', ...missing], { env, failMessage: `installing ${missing.join(', ')} failed` });
      }
      missing = missingPackages();
    }
  }
  if (missing.length)
    return {
      detail: `${missing.join(', ')} missing: stdio servers run unsandboxed in development, and production refuses to start (apt-get install -y ${missing.join(' ')})`,
      skipped: true,
    };
  const version = await run('bwrap', '/usr/bin/bwrap', ['--version']);
  return { detail: `${version.ok ? version.text.trim() : 'bwrap'}, setpriv, prlimit` };
}
