import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type DebconfSelectionsArgs = { name: string };

/** A package's debconf questions and their current answers, as `debconf-show` prints them (debconf itself, no debconf-utils). */
export const debconfSelections = defineRead({
  name: 'debconf_selections',
  command: ({ name }: DebconfSelectionsArgs) => `debconf-show ${quote(name)}`,
  parse({ exitCode, stdout, stderr }): Record<string, string> {
    if (exitCode !== 0) throw new Error(stderr.trim() || `debconf-show exited ${exitCode}`);
    const selections: Record<string, string> = {};
    for (const line of stdout.split('\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      selections[
        line
          .slice(0, colon)
          .replace(/^\*+|\*+$/g, '')
          .trim()
      ] = line.slice(colon + 1).trim();
    }
    return selections;
  },
});
