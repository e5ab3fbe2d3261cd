import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import { manifoldTestConfig } from '../../vitest.shared.ts';

// Route modules are imported directly by the integration tests: resolve the app's `@/` alias, and let the
// `server-only` guard load outside Next (the tests run on the server side anyway).
// next-auth imports `next/server` without an extension, which Node's ESM loader cannot resolve: let vitest
// transform it (the proxy test loads it).
export default mergeConfig(manifoldTestConfig(), {
  test: { server: { deps: { inline: ['next-auth'] } } },
  resolve: {
    alias: {
      '@/': fileURLToPath(new URL('./src/', import.meta.url)),
      'server-only': fileURLToPath(new URL('./test/server-only-stub.ts', import.meta.url)),
    },
  },
});
