import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Unit tests assert behaviour, never speed (speed lives in `npm run bench`); a property
          // test through a real shell took 30 s on the two-core machine under load, past the 5 s default.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          // One lab, shared: files run one after another, each may take minutes.
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
      {
        test: {
          // The differential harness (test/compat/README.md): provision against recorded Ansible
          // results on twin lab hosts of its own. After unit and e2e: the lab is shared, two cores.
          name: 'compat',
          include: ['test/compat/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          testTimeout: 900_000,
          // Its share of CI is meant to stay within 15 minutes; the limit is looser so that a slow,
          // shared machine still gets its table instead of a timeout.
          hookTimeout: 2_700_000,
        },
      },
    ],
  },
});
