import { readFileSync } from 'node:fs';
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, type Tags } from 'yaml';
import type { z } from 'zod';
import { noteInputFile } from '../core/input-files.js';
import { inputError, must, type SourceLocation } from '../errors.js';
import { secrets } from '../secrets.js';
import { closestName } from '../util/suggest.js';
import { markDecryptedValues, openInlineVaults, openVaultFile, vaultTag } from '../vault/yaml-hook.js';

export type PathKey = string | number;

/** `!secret value` marks a value that must never be printed. */
const secretTag = {
  tag: '!secret',
  resolve(value: string): string {
    secrets.add(value);
    return value;
  },
};
const customTags: Tags = [secretTag, vaultTag];

/** A parsed YAML file that can say where any value came from. */
export class YamlSource {
  readonly file: string;
  readonly value: unknown;
  private readonly doc: Document;
  private readonly lines: LineCounter;

  private constructor(file: string, doc: Document, lines: LineCounter) {
    this.file = file;
    this.doc = doc;
    this.lines = lines;
    this.value = doc.toJS({ maxAliasCount: 1000 });
  }

  static fromText(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, customTags, uniqueKeys: true, prettyErrors: false });
    const first = doc.errors[0];
    if (first) {
      const pos = lines.linePos(first.pos[0]);
      throw inputError(
        `invalid YAML: ${first.message.split('\n')[0]}`,
        { file, line: pos.line, col: pos.col },
        first.code === 'DUPLICATE_KEY' ? 'remove or rename the repeated key' : 'fix the YAML syntax at this position',
      );
    }
    openInlineVaults(doc, file, lines);
    return new YamlSource(file, doc, lines);
  }

  static fromFile(file: string): YamlSource {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
      noteInputFile(file, text);
    } catch (err) {
      throw inputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, undefined, 'check the path');
    }
    const opened = openVaultFile(file, text);
    const src = YamlSource.fromText(file, opened.text);
    if (opened.encrypted) markDecryptedValues(src.value);
    return src;
  }

  /** The location of the value at `path`, or of its nearest parent that exists; `key` points at a map key. */
  locate(path: readonly PathKey[], opts: { key?: boolean } = {}): SourceLocation {
    let node: unknown = this.doc.contents;
    let best = this.offsetOf(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      const k = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(k));
        if (!pair) break;
        const last = i === path.length - 1;
        const target = last && opts.key ? pair.key : pair.value;
        node = target;
        best = this.offsetOf(target) ?? this.offsetOf(pair.key) ?? best;
      } else if (isSeq(node) && typeof k === 'number') {
        node = node.items[k];
        best = this.offsetOf(node) ?? best;
      } else break;
    }
    const pos = this.lines.linePos(best);
    return { file: this.file, line: pos.line, col: pos.col };
  }

  private offsetOf(node: unknown): number | undefined {
    const range = (node as Node | undefined)?.range;
    return range ? range[0] : undefined;
  }
}

/** Validate `value` (found at `path` in `src`) with a zod schema; the first issue becomes a located input error. */
export function parseWith<T>(schema: z.ZodType<T>, src: YamlSource, value: unknown, path: readonly PathKey[], what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // A strict object's own keys are what a misspelled key is compared with.
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  throw issueToError(firstIssue(result.error.issues), src, path, what, shape ? Object.keys(shape) : []);
}

/** A misspelled key explains the other issues (a "missing" key is often the misspelled one): report it first. */
export function firstIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  return must(issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0], 'an issue of a failed zod parse');
}

/** A zod issue as a user's error: where it is, what was expected, what to do. */
export function issueToError(
  issue: z.core.$ZodIssue,
  src: YamlSource,
  path: readonly PathKey[],
  what: string,
  known: readonly string[] = [],
) {
  const issuePath = [...path, ...(issue.path as PathKey[])];
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const loc = unknownKey ? src.locate([...issuePath, unknownKey], { key: true }) : src.locate(issuePath);
  const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
  if (unknownKey) {
    const near = closestName(unknownKey, known);
    const hint = near
      ? `did you mean "${near}"? (known: ${known.join(', ')})`
      : known.length
        ? `known keys: ${known.join(', ')}`
        : `remove "${unknownKey}" or check its spelling`;
    return inputError(`unknown key "${unknownKey}" in ${what}${where}`, loc, hint);
  }
  return inputError(`${what}${where}: ${issue.message}`, loc, `expected ${describeExpectation(issue)}`);
}

export function describeExpectation(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `a value of type ${issue.expected}`;
  if (issue.code === 'invalid_value') return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
}
