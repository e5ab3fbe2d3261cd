// The security headers of every page and API answer (applied by next.config.ts). Kept in one pure module so
// a test can check them without starting Next.
//
// The CSP allows inline scripts: the App Router inlines its hydration data, and without per-request nonces
// (which would make every page dynamic, the sign-in pages included) 'unsafe-inline' is the only way to
// keep them running. Everything else is locked to our own origin: no third-party scripts, no framing, no
// plugins, no <base> rewriting, forms posting only here (and to the OAuth providers' sign-in pages).
export interface SecurityHeaderOptions {
  isDevelopment: boolean;
}

export function contentSecurityPolicy({ isDevelopment }: SecurityHeaderOptions): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // React's development build evaluates code (eval) and `next dev` reloads over a websocket.
    'script-src': ["'self'", "'unsafe-inline'", ...(isDevelopment ? ["'unsafe-eval'"] : [])],
    // CodeMirror, React Flow and Recharts set inline styles.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(isDevelopment ? ['ws:', 'wss:'] : [])],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'", 'https://github.com', 'https://accounts.google.com'],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Headers for every answer, pages and API alike. */
export function securityHeaders(options: SecurityHeaderOptions): Array<{ key: string; value: string }> {
  return [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy(options) },
    // For browsers without CSP frame-ancestors.
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    // URLs can carry run ids and OAuth state: other sites learn at most our origin.
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  ];
}

/** HSTS, sent only when the request reached the proxy over TLS (browsers ignore it over plain HTTP anyway). */
export const HSTS_HEADER = { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' };
