// Offline password strength: zxcvbn-ts with its common-password and diceware lists (no network, no
// breached-password service). Scores 0–4; below MIN_SCORE a password falls to a guessing attack quickly.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_SCORE = 3;

let checker: ZxcvbnFactory | undefined;
const zxcvbn = () => (checker ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs }));

/** Why `password` is too weak, or null. `userInputs` (email, name) count as known to an attacker. */
export function passwordWeakness(password: string, userInputs: string[] = []): string | null {
  // zxcvbn's cost grows with length; past 100 characters any password the length check allowed is strong.
  if (password.length > 100) return null;
  const inputs = userInputs.flatMap((input) => [input, ...input.split(/[@.\s_-]+/)]).filter((s) => s.length >= 3);
  const result = zxcvbn().check(password, inputs);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const isCommon = result.sequence.some((match) => match.pattern === 'dictionary' && match.dictionaryName === 'passwords-common');
  return isCommon
    ? 'This password is on lists of common passwords; choose another (a few unrelated words work well).'
    : 'This password is too easy to guess (repeats, sequences, keyboard patterns or your own name or email); make it longer or less predictable.';
}
