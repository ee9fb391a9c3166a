import { ExitCode, ProvisionError } from '../errors.js';

/** Asks for a password without echoing it; refuses when there is no terminal to ask on. */
export type PasswordPrompt = (question: string) => Promise<string>;

// What was typed ahead of the next question (a fast typist, or a pasted "pw\rpw\r" for a confirm).
let typedAhead = '';

export const promptOnTerminal: PasswordPrompt = (question) =>
  askHidden(question, {
    what: 'vault password',
    hint: 'give the password with --vault-password-file FILE or --vault-id LABEL@FILE (a file, or a script printing it)',
  });

/**
 * Ask on the terminal without echoing (a vault password, -K's become password); refused with a
 * usage error naming `what` and what to do instead when standard input is not a terminal.
 */
export async function askHidden(question: string, o: { what: string; hint: string }): Promise<string> {
  if (!process.stdin.isTTY)
    throw new ProvisionError('usage', `a ${o.what} prompt needs a terminal, and standard input is not one`, { hint: o.hint });
  const input = process.stdin as NodeJS.ReadStream & { setRawMode(raw: boolean): void };
  // Echo off before the question shows: an answer typed the moment it appears must not be echoed.
  input.setRawMode(true);
  process.stderr.write(question);
  try {
    return await readHiddenLine(input, o.what);
  } finally {
    process.stderr.write('\n');
  }
}

type Scan = { line: string; rest: string } | { interrupted: true } | { closed: true } | undefined;

/** One line from raw input: Enter ends it, Backspace edits it, Ctrl-C interrupts, Ctrl-D closes. */
function scanLine(text: string): Scan {
  let line = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\r' || ch === '\n') return { line, rest: text.slice(ch === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1) };
    if (ch === '\u0003') return { interrupted: true };
    if (ch === '\u0004') return { closed: true };
    if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
    else line += ch;
  }
  return undefined;
}

function readHiddenLine(input: NodeJS.ReadStream & { setRawMode(raw: boolean): void }, what: string): Promise<string> {
  input.setRawMode(true);
  input.resume();
  return new Promise<string>((resolve, reject) => {
    const settle = () => {
      const scan = scanLine(typedAhead);
      if (!scan) return;
      stop();
      if ('line' in scan) {
        typedAhead = scan.rest;
        resolve(scan.line);
      } else if ('interrupted' in scan) process.exit(ExitCode.interrupted);
      else reject(new ProvisionError('usage', `the ${what} prompt was closed (Ctrl-D) without a password`));
    };
    const onData = (chunk: Buffer) => {
      typedAhead += chunk.toString('utf8');
      settle();
    };
    const onEnd = () => {
      stop();
      reject(new ProvisionError('usage', `the terminal closed before a ${what} was given`));
    };
    const stop = () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.setRawMode(false);
      input.pause();
    };
    input.on('data', onData);
    input.on('end', onEnd);
    settle();
  });
}
