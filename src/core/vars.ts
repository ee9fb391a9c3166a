/** Variables as every layer sees them: a name to any value (rendered or not). */
export type Vars = Record<string, unknown>;
