// The two test projects every package uses: `unit` (pure, beside the code) and `integration` (*.int.test.ts,
// against real Postgres, Temporal and MCP servers through @manifold/testing).
import { defineConfig } from 'vitest/config';

export function manifoldTestConfig() {
  return defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: { name: 'unit', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['**/*.int.test.ts', '**/node_modules/**'] },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
            testTimeout: 120_000,
            hookTimeout: 120_000,
            // One file at a time: a 2-core machine shared with Postgres, Temporal and MCP servers.
            fileParallelism: false,
          },
        },
      ],
    },
  });
}
