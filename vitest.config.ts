import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    // Says once when ../shared (real datasets, models) is absent and the tests that need it are skipped.
    globalSetup: ['src/main/engine/testSharedSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // better-sqlite3 and onnxruntime-node are native: forks isolate them best.
    pool: 'forks'
  }
})
