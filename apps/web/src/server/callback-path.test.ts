import { describe, expect, it } from 'vitest';
import { callbackPath, DEFAULT_AFTER_SIGN_IN } from './callback-path';

describe('callbackPath', () => {
  it('keeps a same-site path with its query', () => {
    expect(callbackPath('/runs/abc?x=1')).toBe('/runs/abc?x=1');
  });

  it('keeps only the path of an absolute URL to another host', () => {
    expect(callbackPath('https://evil.example/steal?x=1')).toBe('/steal?x=1');
  });

  it('turns protocol-relative and backslash tricks into local paths', () => {
    expect(callbackPath('//evil.example/a')).toBe('/a');
    expect(callbackPath('/\\evil.example')).toBe('/');
    expect(callbackPath('http://manifold.invalid//evil.example')).toBe('/evil.example');
  });

  it('falls back for empty, non-string, javascript: and auth pages', () => {
    expect(callbackPath(undefined)).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(callbackPath('')).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(callbackPath('javascript:alert(1)')).toBe('/alert(1)');
    expect(callbackPath('/sign-in?callbackUrl=/runs')).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(callbackPath('/api/v1/runs')).toBe(DEFAULT_AFTER_SIGN_IN);
  });
});
