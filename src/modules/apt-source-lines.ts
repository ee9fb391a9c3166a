/** One line of a one-line-style sources file, as Ansible's apt_repository reads it. */
export interface SourceLine {
  /** The line starts (after an optional `#`) with deb or deb-src. */
  valid: boolean;
  enabled: boolean;
  /** The line without its comment; for a valid line, its words joined by one space. */
  source: string;
  comment: string;
}

const SOURCE_TYPES = new Set(['deb', 'deb-src']);

/** Python's str.split() with no argument: words between runs of whitespace. */
const words = (s: string) => s.split(/\s+/).filter(Boolean);

/** A line as apt_repository parses it: a leading `#` disables it, a later `#` starts its comment. */
export function parseSourceLine(raw: string): SourceLine {
  let line = raw.trim();
  let enabled = true;
  let comment = '';
  if (line.startsWith('#')) {
    enabled = false;
    line = line.slice(1);
  }
  const hash = line.indexOf('#');
  if (hash > 0) {
    comment = line.slice(hash + 1).trim();
    line = line.slice(0, hash);
  }
  let source = line.trim();
  const chunks = words(source);
  const valid = chunks[0] !== undefined && SOURCE_TYPES.has(chunks[0]);
  if (valid) source = chunks.join(' ');
  return { valid, enabled, source, comment };
}

/** A file's lines as Python iterates them (the last one may lack its newline). */
export function parseSourcesFile(text: string): SourceLine[] {
  return (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map(parseSourceLine);
}

/** The text apt_repository writes back: every line normalized, disabled ones as `# `, comments after ` # `. */
export function dumpSourcesFile(lines: readonly SourceLine[]): string {
  return lines.map((l) => `${l.enabled ? '' : '# '}${l.source}${l.comment ? ` # ${l.comment}` : ''}\n`).join('');
}

/**
 * The file name apt_repository gives a new source: options and the scheme dropped, then the URI's
 * letters and digits joined by `_` (`deb http://ex.org/debian bookworm main` is ex_org_debian.list).
 */
export function suggestSourcesFilename(source: string): string {
  const line = source.replace(/\[[^\]]+\]/g, '').replace(/\w+:\/\//g, '');
  const parts = words(line).filter((p) => !SOURCE_TYPES.has(p));
  const uri = parts[0] ?? '';
  const host = uri.includes('@') ? uri.slice(uri.indexOf('@') + 1) : uri;
  return `${words(host.replace(/[^a-zA-Z0-9]/g, ' ')).join('_')}.list`;
}
