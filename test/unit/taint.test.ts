import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/events.js';
import { lazyVars } from '../../src/engine/vars.js';
import { jsonReporter, plainReporter } from '../../src/report/plain.js';
import { MASK, mask, secrets } from '../../src/secrets.js';
import { evaluate, renderString, renderValue } from '../../src/template/render.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Every output mode a value can reach: text (verbose, with diffs) and JSON events. */
function printed(values: { msg: string; command: string; file: string }): string {
  const e: RunEvent = {
    event: 'task_result',
    play: 'p',
    task: 't',
    host: 'h',
    handler: false,
    status: 'failed',
    check: true,
    changes: [values.command],
    diffs: [{ path: '/etc/app.conf', before: '', after: values.file }],
    msg: values.msg,
    durationMs: 1,
    roundTrips: 1,
  };
  const lines: string[] = [];
  plainReporter((l) => lines.push(l), { verbose: true, diff: true }).handle(e);
  jsonReporter((l) => lines.push(l)).handle(e);
  return lines.join('\n');
}

describe('taint: a value rendered from a secret is secret', () => {
  beforeEach(() => {
    secrets.clear();
  });

  it('a password-like name whose value is a template: its rendered value is secret (issue 13)', () => {
    const raw = { base: 'hunter2', db_password: '{{ base }}-x' };
    const vars = lazyVars(raw);
    const cmd = renderValue('mysql -p{{ db_password }}', vars);
    expect(mask(String(cmd))).toBe(MASK);
    expect(mask('hunter2-x')).toBe(MASK);
    // base itself is plain: never combined with a secret, it still prints
    expect(mask('hunter2')).toBe('hunter2');
  });

  it('a secret through filters: upper, b64encode, a chain, a method call', () => {
    secrets.add('tok-secret-1');
    const vars = { api_token: 'tok-secret-1' };
    for (const t of [
      '{{ api_token | upper }}',
      '{{ api_token | b64encode }}',
      '{{ api_token | b64encode | upper }}',
      '{{ api_token.upper() }}',
    ]) {
      const out = String(renderValue(t, vars));
      expect(out).not.toBe('');
      expect(mask(`x ${out} y`)).toBe(`x ${MASK} y`);
    }
    expect(mask(b64('TOK-SECRET-1'))).toBe(b64('TOK-SECRET-1')); // never derived: nothing known about it
  });

  it('plain and secret combined are secret as a whole; the plain value alone still prints', () => {
    secrets.add('s3cr3t-pw');
    const out = String(renderValue('{{ user }}:{{ pw }}', { user: 'alice', pw: 's3cr3t-pw' }));
    expect(mask(out)).toBe(MASK);
    expect(mask('user alice')).toBe('user alice');
  });

  it('a template file: the lines that hold a derived secret are masked, its plain lines print', () => {
    secrets.add('s3cr3t-pw');
    const text = renderString(
      'user={{ user }}\n{% set p = pw | upper %}pass={{ p }}\n{% for x in [pw | b64encode] %}b64={{ x }}\n{% endfor %}',
      { user: 'alice', pw: 's3cr3t-pw' },
    );
    expect(mask(text)).toBe(`user=alice\npass=${MASK}\nb64=${MASK}\n`);
  });

  it('a loop over secrets, a lookup of a secret by name, an attribute of a secret-holding dict', () => {
    secrets.collect({ db: { password: 'pw-in-dict' } });
    const vars = { db: { password: 'pw-in-dict', host: 'db1' }, names: ['a'] };
    const looped = evaluate("db | dict2items | map(attribute='value') | map('upper') | list", vars);
    expect(looped).toEqual(['PW-IN-DICT', 'DB1']);
    // the list read a secret: its items are secret (a loop's items)
    expect(mask('PW-IN-DICT')).toBe(MASK);
    expect(String(renderValue("{{ lookup('vars', 'db').password | reverse }}", vars))).toBe('tcid-ni-wp');
    expect(mask('tcid-ni-wp')).toBe(MASK);
    expect(mask(String(renderValue('{{ db.password ~ "!" }}', vars)))).toBe(MASK);
  });

  it('plain values a secret-holding value only passes on stay plain: the names beside the passwords', () => {
    secrets.collect({ users: [{ name: 'alice-n', password: 'alice-pw-1' }] });
    const vars = { users: [{ name: 'alice-n', password: 'alice-pw-1' }], user: 'bob-n', pw: 'alice-pw-1' };
    expect(renderValue('{{ users }}', vars)).toEqual(vars.users);
    expect(renderValue("{{ users | map(attribute='name') | list }}", vars)).toEqual(['alice-n']);
    expect(renderValue('{{ pw and user }}', vars)).toBe('bob-n');
    // a path into a dict that holds a password reads only what it ends at
    expect(mask(String(renderValue("/srv/{{ users[0].name }}/{{ users[0]['name'] }}", vars)))).toBe('/srv/alice-n/alice-n');
    expect(mask('alice-n bob-n alice-pw-1')).toBe(`alice-n bob-n ${MASK}`);
    expect(renderValue("{{ users | map(attribute='password') | map('upper') | list }}", vars)).toEqual(['ALICE-PW-1']);
    expect(mask('ALICE-PW-1')).toBe(MASK);
  });

  it('a bool or a number computed from a secret does not mask every such value', () => {
    secrets.add('s3cr3t-pw');
    expect(renderValue('{{ pw is defined }}', { pw: 's3cr3t-pw' })).toBe(true);
    expect(renderString('{{ pw | length }} {{ pw is string }}', { pw: 's3cr3t-pw' })).toBe('9 True');
    expect(mask('True 9')).toBe('True 9');
  });

  it('an error quoting an intermediate value derived from a secret is masked', () => {
    secrets.add('s3cr3t-pw');
    let message = '';
    try {
      renderValue("{{ lookup('file', pw | upper) }}", { pw: 's3cr3t-pw' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('could not locate file');
    expect(mask(message)).not.toContain('S3CR3T-PW');
  });

  it('a JSON event holds a secret with quotes and backslashes masked too', () => {
    secrets.add('pa"ss\\word');
    expect(printed({ msg: 'pa"ss\\word', command: 'x', file: '' })).not.toContain('ss\\\\word');
  });

  it('a lazy view is never walked to look for secrets', () => {
    secrets.add('s3cr3t-pw');
    let built = 0;
    const lazy = Object.defineProperty({}, Symbol.for('provision.lazyVars'), { value: true });
    Object.defineProperty(lazy, 'h1', {
      enumerable: true,
      get: () => {
        built++;
        return { x: 1 };
      },
    });
    renderValue('{{ hostvars is defined }}', { hostvars: lazy });
    expect(built).toBe(0);
  });
});

/** Random values that never contain one another (nor one another's upper/lower/base64 forms). */
const token = (prefix: string) => fc.stringMatching(/^[a-z0-9]{8,14}$/).map((s) => `${prefix}${s}`);

type Part =
  | { kind: 'secret' | 'plain'; index: number; filter: 'none' | 'upper' | 'b64encode' | 'lower' | 'reverse' }
  | { kind: 'text'; text: string };

const partArb: fc.Arbitrary<Part> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('secret' as const, 'plain' as const),
    index: fc.nat({ max: 2 }),
    filter: fc.constantFrom('none' as const, 'upper' as const, 'b64encode' as const, 'lower' as const, 'reverse' as const),
  }),
  fc.record({ kind: fc.constant('text' as const), text: fc.constantFrom(':', '-', ' = ', '/') }),
);

/** How a template reaches the output: a task argument, a file, a loop over a list, a variable defined from another. */
const shapeArb = fc.constantFrom('value', 'file', 'loop', 'indirect');

describe('taint property: no secret prints, every plain value not combined with one does', () => {
  it('random templates over random secret and plain values, every output mode', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(token('sec'), { minLength: 3, maxLength: 3 }),
        fc.uniqueArray(token('pla'), { minLength: 3, maxLength: 3 }),
        fc.array(fc.tuple(fc.array(partArb, { minLength: 1, maxLength: 4 }), shapeArb), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (secretValues, plainValues, templates, byName) => {
          secrets.clear();
          const raw: Record<string, unknown> = {};
          secretValues.forEach((v, i) => {
            // a secret by its tag, or by its name
            if (byName) raw[`s${i}_password`] = v;
            else {
              raw[`s${i}_password`] = v;
              secrets.add(v);
            }
          });
          if (byName) secrets.collect(raw);
          plainValues.forEach((v, i) => {
            raw[`p${i}`] = v;
          });
          const expr = (p: Part) =>
            p.kind === 'text'
              ? p.text
              : `{{ ${p.kind === 'secret' ? `s${p.index}_password` : `p${p.index}`}${p.filter === 'none' ? '' : ` | ${p.filter}`} }}`;
          const sources = templates.map(([parts]) => parts.map(expr).join(''));
          // `indirect`: the template is a variable's value, read by another template
          templates.forEach(([, shape], i) => {
            if (shape === 'indirect') raw[`t${i}`] = sources[i];
          });
          const vars = lazyVars(raw);
          const outputs = templates.map(([parts, shape], i) => {
            const src = sources[i] as string;
            if (shape === 'value') return String(renderValue(src, vars));
            if (shape === 'file') return renderString(`line ${i}\n${src}\n`, vars);
            if (shape === 'indirect') return String(renderValue(`{{ t${i} }}`, vars));
            const items = parts.filter((p) => p.kind !== 'text').map((p) => expr(p).slice(3, -3));
            return renderString(`{% for x in [${items.join(', ')}] %}{{ x }}\n{% endfor %}`, vars);
          });
          const text = printed({ msg: outputs.join('\n'), command: `run ${outputs.join(' ')}`, file: outputs.join('\n') });
          for (const s of secretValues) {
            for (const form of [s, s.toUpperCase(), s.toLowerCase(), b64(s), b64(s.toUpperCase()), [...s].reverse().join('')]) {
              expect(text).not.toContain(form);
            }
          }
          templates.forEach(([parts]) => {
            if (parts.some((p) => p.kind === 'secret')) return;
            for (const p of parts) {
              if (p.kind !== 'plain') continue;
              const v = plainValues[p.index] as string;
              const shown = {
                none: v,
                upper: v.toUpperCase(),
                lower: v.toLowerCase(),
                b64encode: b64(v),
                reverse: [...v].reverse().join(''),
              }[p.filter];
              expect(text).toContain(shown);
            }
          });
        },
      ),
      { numRuns: 150, seed: 13 },
    );
  });
});
