// Console output for the scripts: timed step lines, a framed box, and the error type that means "tell the user".

/** An expected failure: its message is the one line telling the user what went wrong and what to do. */
export class UserError extends Error {
  /** @param {string} message @param {{ details?: string }} [options] details: output to show above the message */
  constructor(message, { details } = {}) {
    super(message);
    this.name = 'UserError';
    this.details = details;
  }
}

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
export const color = { green: paint(32), red: paint(31), yellow: paint(33), dim: paint(2), bold: paint(1), cyan: paint(36) };

export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * Runs one named step and prints one line for it: "✓ name: detail (1.2 s)". The step function may return a
 * detail string, or { detail, skipped } to print a warning line instead of a tick.
 */
export async function step(name, run) {
  const started = performance.now();
  if (process.stdout.isTTY) process.stdout.write(color.dim(`  … ${name}`));
  const clearLine = () => process.stdout.isTTY && process.stdout.write('\r\x1b[2K');
  try {
    const result = await run();
    const { detail, skipped } = typeof result === 'object' && result !== null ? result : { detail: result };
    clearLine();
    const mark = skipped ? color.yellow('⚠') : color.green('✓');
    const took = color.dim(`(${formatDuration(performance.now() - started)})`);
    console.log(`  ${mark} ${name}${detail ? `: ${detail}` : ''} ${took}`);
    return result;
  } catch (error) {
    clearLine();
    console.log(`  ${color.red('✗')} ${name} ${color.dim(`(${formatDuration(performance.now() - started)})`)}`);
    throw error;
  }
}

/** Prints an error for the user: captured details first, then the one clear line. Returns the exit code. */
export function reportFailure(error) {
  if (error instanceof UserError) {
    if (error.details) console.error(color.dim(error.details.trimEnd()));
    console.error(`${color.red('error:')} ${error.message}`);
  } else {
    console.error(error);
  }
  return 1;
}

/** Draws lines of text in a box. */
export function box(lines) {
  const visible = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');
  const width = Math.max(...lines.map((line) => visible(line).length));
  const out = [`┌${'─'.repeat(width + 2)}┐`];
  for (const line of lines) out.push(`│ ${line}${' '.repeat(width - visible(line).length)} │`);
  out.push(`└${'─'.repeat(width + 2)}┘`);
  console.log(out.join('\n'));
}
