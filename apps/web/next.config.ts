import type { NextConfig } from 'next';

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
  reactStrictMode: true,
};

export default config;
