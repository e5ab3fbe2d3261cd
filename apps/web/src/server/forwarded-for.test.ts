import { describe, expect, it } from 'vitest';
import { clientIpFrom, parseTrustedProxies } from './forwarded-for';

const from = (forwardedFor: string | null, trusted = '') =>
  clientIpFrom(new Headers(forwardedFor === null ? {} : { 'x-forwarded-for': forwardedFor }), parseTrustedProxies(trusted));

describe('client address from X-Forwarded-For', () => {
  it('without trusted proxies, uses only the nearest hop', () => {
    expect(from('192.0.2.1')).toBe('192.0.2.1');
    expect(from('6.6.6.6, 192.0.2.1')).toBe('192.0.2.1');
    expect(from(null)).toBeNull();
  });

  it('walks left past trusted proxies only', () => {
    expect(from('192.0.2.1, 10.0.0.2, 10.0.0.3', '10.0.0.0/8')).toBe('192.0.2.1');
    expect(from('6.6.6.6, 192.0.2.1, 10.0.0.3', '10.0.0.0/8')).toBe('192.0.2.1');
    expect(from('2001:db8::1, fd00::5', 'fd00::/8')).toBe('2001:db8::1');
  });

  it('records nothing that is not an IP address', () => {
    expect(from('<script>alert(1)</script>')).toBeNull();
    expect(from('192.0.2.1, <img src=x>', '10.0.0.0/8')).toBeNull();
    expect(from('not-an-ip, 10.0.0.3', '10.0.0.0/8')).toBeNull();
  });

  it('normalises ports, brackets and IPv4-mapped addresses', () => {
    expect(from('192.0.2.1:5555')).toBe('192.0.2.1');
    expect(from('[2001:DB8::1]:443')).toBe('2001:db8::1');
    expect(from('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address or range', () => {
    expect(() => parseTrustedProxies('10.0.0.0/8, proxy.internal')).toThrow(/proxy\.internal/);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/prefix/);
  });
});
