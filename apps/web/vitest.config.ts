import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import { manifoldTestConfig } from '../../vitest.shared.ts';

// Route modules are imported directly by the integration tests: resolve the app's `@/` alias, and let the
// `server-only` guard load outside Next (the tests run on the server side anyway).
export default mergeConfig(manifoldTestConfig(), {
  resolve: {
    alias: {
      '@/': fileURLToPath(new URL('./src/', import.meta.url)),
      'server-only': fileURLToPath(new URL('./test/server-only-stub.ts', import.meta.url)),
    },
  },
});
