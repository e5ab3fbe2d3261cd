import type { NextConfig } from 'next';
import { HSTS_HEADER, securityHeaders } from './src/server/security-headers';

const config: NextConfig = {
  // Workspace packages ship TypeScript source.
  transpilePackages: ['@manifold/core', '@manifold/db', '@manifold/secrets', '@manifold/services', '@manifold/workflows'],
  // Native or Node-specific packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: [
    '@node-rs/argon2',
    '@temporalio/client',
    '@temporalio/common',
    '@temporalio/proto',
    '@prisma/client',
    '@prisma/adapter-pg',
    'pg',
    'pino',
  ],
  poweredByHeader: false,
  // Every page and API answer; HSTS only when the proxy in front says the request came over TLS.
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders({ isDevelopment: process.env.NODE_ENV === 'development' }) },
      { source: '/:path*', has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }], headers: [HSTS_HEADER] },
    ];
  },
  reactStrictMode: true,
};

export default config;
