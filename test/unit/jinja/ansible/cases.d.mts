export const FIXTURES_DIR: string;
export const TREE_DIR: string;
/** Variables every case sees (the `vars` lookup reads them). */
export const CONTEXT_VARS: Record<string, unknown>;
export const families: Record<string, unknown[]>;
