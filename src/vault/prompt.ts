import { ExitCode, ProvisionError } from '../errors.js';

/** Asks for a password without echoing it; refuses when there is no terminal to ask on. */
export type PasswordPrompt = (question: string) => Promise<string>;

export const promptOnTerminal: PasswordPrompt = (question) => {
  const input = process.stdin;
  if (!input.isTTY)
    return Promise.reject(
      new ProvisionError('usage', 'a vault password prompt needs a terminal, and standard input is not one', {
        hint: 'give the password with --vault-password-file FILE or --vault-id LABEL@FILE (a file, or a script printing it)',
      }),
    );
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = (fn: () => void) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      fn();
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(answer));
        if (ch === '\u0003') return finish(() => process.exit(ExitCode.interrupted));
        if (ch === '\u0004')
          return finish(() => reject(new ProvisionError('usage', 'the vault password prompt was closed (Ctrl-D) without a password')));
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
};
