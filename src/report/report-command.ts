import { Command } from 'commander';
import { ExitCode, ProvisionError } from '../errors.js';
import { readRunRecord, renderReport, reportFormat, writeReport } from './report-file.js';
import { runRecordJsonSchema } from './run-record.js';

/** `provision report RUN`: a saved run (a --json event stream or a run record) drawn as HTML or Markdown afterwards. */
export function reportCommand(setCode: (c: number) => void, out: (text: string) => void): Command {
  return new Command('report')
    .description('draw the report of a saved run: the output of up --json, a run record (--report FILE.json) or an HTML report')
    .argument('[run]', 'the saved run: an NDJSON event stream, a run record, or a page written by --report FILE.html')
    .option(
      '-o, --out <file>',
      'write the report here: FILE.html (a page), FILE.md (a merge-request comment) or FILE.json (the run record); default: Markdown on stdout',
    )
    .option('--schema', "print the run record's JSON Schema (docs/run-record.schema.json) and exit")
    .action((run: string | undefined, o: { out?: string; schema?: boolean }) => {
      if (o.schema) {
        out(JSON.stringify(runRecordJsonSchema(), null, 2));
        setCode(ExitCode.ok);
        return;
      }
      if (!run) throw new ProvisionError('usage', 'name the saved run: provision report RUN.ndjson --out report.html');
      if (o.out) reportFormat(o.out, '--out');
      // A saved event stream does not say which command made it; plan and apply hand over run records, which do.
      const record = readRunRecord(run, { kind: 'up' });
      if (o.out) writeReport(o.out, record);
      else out(renderReport(record, 'md').trimEnd());
      setCode(ExitCode.ok);
    });
}
