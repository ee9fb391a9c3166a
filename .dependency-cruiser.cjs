/**
 * Import rules for src: layers point one way (cli -> engine -> modules -> reads -> core; transport -> core).
 * test/unit/import-rules.test.ts checks the same rules with its own import parser, so switching one
 * off here does not switch it off there.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle ties layers together; break it with a type in src/core.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'lower-layers-not-upward',
      severity: 'error',
      comment: 'transport, core, reads and modules must not know about configuration loading, the engine or the keepalived job.',
      from: { path: '^src/(transport|core|reads|modules)/' },
      to: { path: '^src/(config|engine|keepalived)/' },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment: 'src/core is the contract every layer shares: it depends on nothing else in src.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'transport-below-modules',
      severity: 'error',
      comment: 'The transport carries commands; it shares types with the rest through src/core only.',
      from: { path: '^src/transport/' },
      to: { path: '^src/(modules|reads)/' },
    },
    {
      name: 'reads-below-modules',
      severity: 'error',
      comment: 'Reads are pure command builders and parsers; modules use them, not the other way round.',
      from: { path: '^src/reads/' },
      to: { path: '^src/(modules|transport)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
