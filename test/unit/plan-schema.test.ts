import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planJsonSchema } from '../../src/plan/schema.js';

describe('the plan format', () => {
  it('docs/plan.schema.json is the JSON Schema of src/plan/schema.ts (regenerate: npm run build && node scripts/plan-schema.mjs)', () => {
    const published = JSON.parse(readFileSync(new URL('../../docs/plan.schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(planJsonSchema());
  });
});
