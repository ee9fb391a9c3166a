import { readFileSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { splitWords } from '../../src/shell/quote.js';
import { runCli } from './helpers.js';

/** Every `provision ...` command the README shows: lines of its sh blocks, and inline code in its prose. */
function readmeCommands(): string[] {
  const text = readFileSync('README.md', 'utf8');
  const found = new Set<string>();
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g))
    for (const line of (block[1] ?? '').split('\n')) if (line.startsWith('provision ')) found.add(line.replace(/\s+#.*$/, '').trim());
  for (const code of text.matchAll(/`(provision [^`]+)`/g)) found.add((code[1] ?? '').trim());
  return [...found];
}

/** The words of a command as this CLI would parse them, or what it would refuse (commander's rules). */
function checkAgainstCli(words: string[]): string[] {
  let cmd: Command = buildProgram(() => {});
  let i = 0;
  for (; i < words.length; i++) {
    const sub = cmd.commands.find((c) => c.name() === words[i]);
    if (!sub) break;
    cmd = sub;
  }
  const problems: string[] = [];
  let operands = 0;
  for (; i < words.length; i++) {
    const w = words[i] ?? '';
    if (!w.startsWith('-')) {
      operands++;
      continue;
    }
    const flag = w.split('=')[0] ?? '';
    const opt = (cmd.options as readonly Option[]).find((o) => o.long === flag || o.short === flag);
    if (!opt) problems.push(`"${cmd.name()}" has no option ${flag}`);
    else if ((opt.required || opt.optional) && !w.includes('=')) i++;
  }
  const args = cmd.registeredArguments;
  const variadic = args.some((a) => a.variadic);
  if (!variadic && operands > args.length)
    problems.push(`"${cmd.name()}" takes at most ${args.length} argument(s), the README gives ${operands}`);
  const required = args.filter((a) => a.required).length;
  if (operands < required) problems.push(`"${cmd.name()}" needs ${required} argument(s), the README gives ${operands}`);
  if (cmd.commands.length > 0 && operands > 0 && !cmd.commands.some((c) => c.name() === words.at(-1)))
    problems.push(`"${cmd.name()}" has no command ${words[words.length - operands]}`);
  return problems;
}

/** Read-only commands worth running for real, with the exit code the README promises. */
const RUN_FOR_REAL: Record<string, number> = {
  'provision lint inventory/seed.yaml': 7,
  'provision modules': 0,
  'provision --version': 0,
};

const commands = readmeCommands();

describe('the README and the CLI agree', () => {
  it('the README shows commands (so this test checks something)', () => {
    expect(commands.length).toBeGreaterThan(10);
    expect(commands).toContain('provision lab status inventory/lab.yaml');
  });

  it.each(commands)('%s: every word is one the CLI takes', (line) => {
    expect(checkAgainstCli(splitWords(line).slice(1))).toEqual([]);
  });

  it.each(commands.filter((c) => !(c in RUN_FOR_REAL)))('%s --help: the CLI knows the command', async (line) => {
    const words = splitWords(line).slice(1);
    const r = await runCli([...words, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage: provision');
  });

  it.each(Object.entries(RUN_FOR_REAL))('%s runs and exits %i', async (line, code) => {
    expect(commands).toContain(line);
    const r = await runCli(splitWords(line).slice(1));
    expect(r.code, r.stderr).toBe(code);
  });
});
