// `npm test`: prepares, then runs unit (+lint, typecheck), integration and e2e stages; ends with "N passed, N failed".
//   flags: --skip-e2e, --only=unit|integration|e2e
import { atCleanup, runMain } from './lib/lifecycle.mjs';
import { prepare } from './lib/prepare.mjs';
import { describeExit, startProcess } from './lib/proc.mjs';
import { UserError, color, formatDuration } from './lib/report.mjs';

const USAGE = 'usage: npm test [-- --skip-e2e | --only=unit|integration|e2e]';
const stripAnsi = (text) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** Sums vitest's "Tests  2 failed | 40 passed (42)" summary lines (one per package run, turbo-prefixed). */
export function countVitest(output) {
  const counts = { passed: 0, failed: 0 };
  for (const line of stripAnsi(output).split('\n')) {
    const summary = /(?:^|[\s:])Tests\s+(.+?)\s+\(\d+\)\s*$/.exec(line)?.[1];
    if (!summary) continue;
    counts.passed += Number(/(\d+) passed/.exec(summary)?.[1] ?? 0);
    counts.failed += Number(/(\d+) failed/.exec(summary)?.[1] ?? 0);
  }
  return counts;
}

/** Sums Playwright's final "  12 passed (30.1s)" / "  1 failed" lines. */
export function countPlaywright(output) {
  const counts = { passed: 0, failed: 0 };
  for (const line of stripAnsi(output).split('\n')) {
    const match = /^\s*(\d+) (passed|failed)\b/.exec(line);
    if (match) counts[match[2]] += Number(match[1]);
  }
  return counts;
}

const STAGES = [
  {
    name: 'unit',
    title: 'lint, typecheck, unit tests',
    count: countVitest,
    commands: [['turbo', ['run', 'lint', 'typecheck', 'test', '--continue']]],
  },
  {
    name: 'integration',
    title: 'integration tests',
    count: countVitest,
    commands: [['turbo', ['run', 'test:integration', '--concurrency=1', '--continue']]],
  },
  {
    name: 'e2e',
    title: 'web build, Playwright',
    count: countPlaywright,
    commands: [
      ['turbo', ['run', 'build', '--filter=@manifold/web']],
      ['playwright', ['test', '-c', 'e2e']],
    ],
  },
];

function parseArgs(args) {
  let only;
  let skipE2e = false;
  for (const arg of args) {
    if (arg === '--skip-e2e') skipE2e = true;
    else if (arg.startsWith('--only=') && STAGES.some((stage) => stage.name === arg.slice(7))) only = arg.slice(7);
    else throw new UserError(`unknown option ${arg}; ${USAGE}`);
  }
  return STAGES.filter((stage) => (only ? stage.name === only : !(skipE2e && stage.name === 'e2e')));
}

/** Runs one command with its output shown live and kept; stops it on Ctrl-C. */
async function runShown(command, args) {
  console.log(color.dim(`$ ${command} ${args.join(' ')}`));
  const proc = startProcess(command, command, args, { output: 'tee', stopTimeoutMs: 30_000 });
  const forget = atCleanup(() => proc.stop());
  const exit = await proc.exited;
  await proc.stop();
  forget();
  return { ok: exit.code === 0, exit, text: proc.text() };
}

function printSummary(results) {
  console.log(
    `\n${color.bold('Stage'.padEnd(14))}${color.bold('Result'.padEnd(10))}${color.bold('Tests'.padEnd(24))}${color.bold('Duration')}`,
  );
  for (const result of results) {
    const painted = { passed: color.green, failed: color.red }[result.status] ?? color.dim;
    const tests = result.counts ? `${result.counts.passed} passed, ${result.counts.failed} failed` : '';
    const took = result.ms === undefined ? '' : formatDuration(result.ms);
    console.log(`${result.name.padEnd(14)}${painted(result.status.padEnd(10))}${tests.padEnd(24)}${took}`);
  }
}

runMain(async () => {
  const stages = parseArgs(process.argv.slice(2));
  const started = performance.now();
  console.log(color.bold('Preparing'));
  // Without DATABASE_URL: the embedded Postgres, database manifold_test. Suites create their own databases on that server.
  await prepare({ database: 'manifold_test' });

  const results = [];
  let failed = false;
  for (const stage of stages) {
    if (failed) {
      results.push({ name: stage.name, status: 'not run' });
      continue;
    }
    console.log(color.bold(`\n▶ ${stage.name}: ${stage.title}`));
    const stageStarted = performance.now();
    let output = '';
    let ok = true;
    for (const [command, args] of stage.commands) {
      const result = await runShown(command, args);
      output += `${result.text}\n`;
      if (!result.ok) {
        console.log(color.red(`${command} ${args.join(' ')} ${describeExit(result.exit)}`));
        ok = false;
        break;
      }
    }
    failed = !ok;
    results.push({ name: stage.name, status: ok ? 'passed' : 'failed', counts: stage.count(output), ms: performance.now() - stageStarted });
  }

  printSummary(results);
  const total = results.reduce(
    (sum, { counts }) => ({ passed: sum.passed + (counts?.passed ?? 0), failed: sum.failed + (counts?.failed ?? 0) }),
    { passed: 0, failed: 0 },
  );
  console.log(color.dim(`total ${formatDuration(performance.now() - started)}`));
  console.log(`${total.passed} passed, ${total.failed} failed`);
  return failed ? 1 : 0;
});
