import { describe, expect, it } from 'vitest';
import { backoffSeconds } from './sign-in-throttle';
import { passwordWeakness } from './password-strength';

describe('sign-in backoff', () => {
  it('is free up to the allowance, then doubles up to the cap', () => {
    expect([0, 4].map((n) => backoffSeconds(n, 5, 900))).toEqual([0, 0]);
    expect([5, 6, 7, 8].map((n) => backoffSeconds(n, 5, 900))).toEqual([2, 4, 8, 16]);
    expect(backoffSeconds(50, 5, 900)).toBe(900);
    expect(backoffSeconds(1_000, 50, 30)).toBe(30);
  });
});

describe('password strength', () => {
  it('refuses repeats, common passwords and the user’s own email; accepts passphrases', () => {
    expect(passwordWeakness('aaaaaaaaaa')).toMatch(/easy to guess/);
    expect(passwordWeakness('password123')).toMatch(/common passwords/);
    expect(passwordWeakness('ada.lovelace@example.com', ['ada.lovelace@example.com'])).not.toBeNull();
    expect(passwordWeakness('quartz-meadow-ember-19')).toBeNull();
  });
});
