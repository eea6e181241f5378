import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'docs/**/*.test.ts'],
    // Tests check behaviour, never speed: a busy 2-core machine may take several times longer.
    testTimeout: 60_000,
    reporters: ['default', ['json', {outputFile: 'reports/unit.json'}]],
  },
});
