// Writes docs/plan.schema.json from the plan's zod schema (src/plan/schema.ts); test/unit/plan-schema.test.ts keeps them equal.
import { writeFileSync } from 'node:fs';
import { planJsonSchema } from '../dist/plan/schema.js';

writeFileSync(new URL('../docs/plan.schema.json', import.meta.url), `${JSON.stringify(planJsonSchema(), null, 2)}\n`);
