// The client's address for audit records and sign-in throttling. `X-Forwarded-For` is a list each proxy
// appends its peer to; Next.js itself sets it to the socket's address only when the request has none. So
// the rightmost entry is what our nearest hop saw, and entries to its left are trusted only while the
// entry to their right is one of TRUSTED_PROXIES. Anything that is not an IP address is never recorded.
import { BlockList, isIP } from 'node:net';

/** Parses TRUSTED_PROXIES: comma-separated addresses or CIDR ranges (IPv4 or IPv6). */
export function parseTrustedProxies(text: string): BlockList {
  const list = new BlockList();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address);
    if (!family) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range.`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32))
        throw new Error(`TRUSTED_PROXIES: "${entry}" has an invalid prefix length.`);
      list.addSubnet(address, bits, type);
    }
  }
  return list;
}

/** An IP address in canonical text, or null for anything else (an IPv4-mapped IPv6 address reads as IPv4). */
function normalizeAddress(raw: string): string | null {
  let text = raw.trim();
  if (text.startsWith('[') && text.includes(']'))
    text = text.slice(1, text.indexOf(']')); // [v6]:port
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':')); // v4:port
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(text)) text = text.slice(7);
  return isIP(text) ? text.toLowerCase() : null;
}

const isTrusted = (trusted: BlockList, address: string) => trusted.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** The client address from these request headers, given the trusted proxies; null when unknown or invalid. */
export function clientIpFrom(headers: Headers, trusted: BlockList): string | null {
  const hops = (headers.get('x-forwarded-for') ?? '').split(',').filter((h) => h.trim() !== '');
  for (let index = hops.length - 1; index >= 0; index--) {
    const address = normalizeAddress(hops[index]!);
    if (!address) return null; // a forged or garbled entry: nothing left of it can be believed
    if (index === 0 || !isTrusted(trusted, address)) return address;
  }
  return null;
}
