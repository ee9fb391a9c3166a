import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { must } from '../../src/errors.js';

/**
 * The layering rules of .dependency-cruiser.cjs, checked again here with an import parser of our
 * own: turning a rule off in the lint config does not turn it off in the test suite.
 */
const ROOT = resolve(import.meta.dirname, '../..');

type Graph = Map<string, string[]>;

interface Rule {
  name: string;
  from: RegExp;
  to: RegExp;
}

const RULES: Rule[] = [
  { name: 'lower-layers-not-upward', from: /^src\/(transport|core|reads|modules)\//, to: /^src\/(config|engine|keepalived)\// },
  { name: 'core-imports-only-core', from: /^src\/core\//, to: /^src\/(?!core\/)/ },
  { name: 'transport-below-modules', from: /^src\/transport\//, to: /^src\/(modules|reads)\// },
  { name: 'reads-below-modules', from: /^src\/reads\//, to: /^src\/(modules|transport)\// },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of every file under src (static, re-exports, dynamic), resolved to .ts paths. */
function importGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles('src')) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const targets = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) =>
      relative(ROOT, resolve(ROOT, dirname(file), must(m[1], 'the import path'))).replace(/\.js$/, '.ts'),
    );
    graph.set(file, targets);
  }
  return graph;
}

function ruleViolations(graph: Graph): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph)
    for (const to of targets) for (const r of RULES) if (r.from.test(from) && r.to.test(to)) found.push(`${r.name}: ${from} -> ${to}`);
  return found;
}

function cycles(graph: Graph): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

describe('import rules', () => {
  const graph = importGraph();

  it('reads the imports it checks (the parser sees the layers)', () => {
    expect(graph.get('src/transport/transport.ts')).toContain('src/core/exec.ts');
    expect(graph.get('src/engine/connect.ts')).toContain('src/transport/local.ts'); // a dynamic import
    expect(graph.size).toBeGreaterThan(50);
  });

  it('no file under transport, core, reads or modules imports config, engine or keepalived; core imports only core', () => {
    expect(ruleViolations(graph)).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('the checks catch what they forbid', () => {
    const bad: Graph = new Map([
      ['src/core/a.ts', ['src/config/inventory.ts']],
      ['src/transport/t.ts', ['src/modules/types.ts']],
      ['src/util/x.ts', ['src/util/y.ts']],
      ['src/util/y.ts', ['src/util/x.ts']],
    ]);
    expect(ruleViolations(bad)).toEqual([
      'lower-layers-not-upward: src/core/a.ts -> src/config/inventory.ts',
      'core-imports-only-core: src/core/a.ts -> src/config/inventory.ts',
      'transport-below-modules: src/transport/t.ts -> src/modules/types.ts',
    ]);
    expect(cycles(bad)).toEqual([['src/util/x.ts', 'src/util/y.ts', 'src/util/x.ts']]);
  });

  it('npm run lint runs dependency-cruiser with the same rules, as errors', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.lint).toMatch(/depcruise src --config \.dependency-cruiser\.cjs/);
    const config = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as {
      forbidden: { name: string; severity: string }[];
    };
    const rules = new Map(config.forbidden.map((r) => [r.name, r.severity]));
    for (const name of ['no-circular', ...RULES.map((r) => r.name)]) expect(rules.get(name), name).toBe('error');
  });
});
