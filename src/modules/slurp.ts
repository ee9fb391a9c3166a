import { z } from 'zod';
import { fileBytes } from '../reads/file-bytes.js';
import { withAliases } from './aliases.js';
import { defineModule } from './types.js';

export const slurp = defineModule({
  name: 'slurp',
  schema: withAliases(
    { src: z.string().regex(/^\//, 'an absolute path').describe('the file to read, base64-encoded into `content`') },
    { path: 'src' },
  ),
  async plan({ args, reader }) {
    const bytes = await reader.get(fileBytes, { path: args.src });
    if (bytes === null) return { changes: [], failed: `file not found: ${args.src}` };
    return { changes: [], data: { content: bytes.toString('base64'), encoding: 'base64', source: args.src }, msg: `${bytes.length} bytes` };
  },
});
