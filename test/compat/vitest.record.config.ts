import { defineConfig } from 'vitest/config';

// Not part of `npm test`: runs Ansible on the cases and writes test/compat/expected/ (npm run compat:record).
export default defineConfig({
  test: { include: ['test/compat/record.ts'], testTimeout: 14_400_000, hookTimeout: 1_800_000, fileParallelism: false },
});
