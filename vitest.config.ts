import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // Real encrypted databases, scrypt and child processes: generous limits, and no test asserts on speed.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The SQLCipher bindings are native modules; forks isolate them better than worker threads.
    pool: 'forks',
    env: {
      // Cheap key derivation for tests only; the cost used is recorded in every keyslot.
      CUSTOS_SCRYPT_N: '16384',
    },
  },
});
