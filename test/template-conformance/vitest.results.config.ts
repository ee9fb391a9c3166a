import { defineConfig } from 'vitest/config';

// Not part of `npm test`: measures the template engine candidates and writes RESULTS.md.
export default defineConfig({
  test: { include: ['test/template-conformance/write-results.ts'], testTimeout: 600_000 },
});
