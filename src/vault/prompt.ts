import { ExitCode, ProvisionError } from '../errors.js';

/** Asks for a password without echoing it; refuses when there is no terminal to ask on. */
export type PasswordPrompt = (question: string) => Promise<string>;

// What was typed ahead of the next question (a fast typist, or a pasted "pw\rpw\r" for a confirm).
let typedAhead = '';

export const promptOnTerminal: PasswordPrompt = async (question) => {
  if (!process.stdin.isTTY)
    throw new ProvisionError('usage', 'a vault password prompt needs a terminal, and standard input is not one', {
      hint: 'give the password with --vault-password-file FILE or --vault-id LABEL@FILE (a file, or a script printing it)',
    });
  process.stderr.write(question);
  try {
    return await readHiddenLine(process.stdin as NodeJS.ReadStream & { setRawMode(raw: boolean): void });
  } finally {
    process.stderr.write('\n');
  }
};

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

function readHiddenLine(input: NodeJS.ReadStream & { setRawMode(raw: boolean): void }): Promise<string> {
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
      else reject(new ProvisionError('usage', 'the vault password prompt was closed (Ctrl-D) without a password'));
    };
    const onData = (chunk: Buffer) => {
      typedAhead += chunk.toString('utf8');
      settle();
    };
    const onEnd = () => {
      stop();
      reject(new ProvisionError('usage', 'the terminal closed before a vault password was given'));
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
