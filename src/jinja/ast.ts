/** The syntax tree of a Jinja2 template, as the parser builds it and the evaluator walks it. */

export interface Pos {
  line: number;
  col: number;
}

export interface CallArgs {
  args: Expr[];
  kwargs: { name: string; value: Expr }[];
  dynArgs?: Expr;
  dynKwargs?: Expr;
}

export type Expr = Pos &
  (
    | { type: 'const'; value: unknown }
    | { type: 'name'; name: string }
    | { type: 'list'; items: Expr[] }
    | { type: 'tuple'; items: Expr[] }
    | { type: 'dict'; items: { key: Expr; value: Expr }[] }
    | { type: 'getattr'; node: Expr; attr: string }
    | { type: 'getitem'; node: Expr; arg: Expr }
    | { type: 'slice'; node: Expr; start?: Expr; stop?: Expr; step?: Expr }
    | { type: 'call'; node: Expr; call: CallArgs }
    | { type: 'filter'; node: Expr | undefined; name: string; call: CallArgs }
    | { type: 'test'; node: Expr; name: string; call: CallArgs }
    | { type: 'binop'; op: string; left: Expr; right: Expr }
    | { type: 'unary'; op: 'not' | '-' | '+'; node: Expr }
    | { type: 'and' | 'or'; left: Expr; right: Expr }
    | { type: 'compare'; first: Expr; ops: { op: string; expr: Expr }[] }
    | { type: 'concat'; items: Expr[] }
    | { type: 'condexpr'; test: Expr; yes: Expr; no?: Expr }
  );

/** What `for`, `set` and macro arguments bind: a name, a namespace attribute, or a tuple of targets. */
export type Target = Pos &
  ({ type: 'name'; name: string } | { type: 'nsattr'; name: string; attr: string } | { type: 'tuple'; items: Target[] });

export interface MacroDef {
  name: string;
  params: { name: string; default?: Expr }[];
  body: Stmt[];
  /** Whether the body reads varargs / kwargs / caller: only then may a call pass extra arguments. */
  usesVarargs: boolean;
  usesKwargs: boolean;
  usesCaller: boolean;
}

export type Stmt = Pos &
  (
    | { type: 'output'; text: string }
    | { type: 'print'; expr: Expr }
    | { type: 'if'; branches: { test: Expr; body: Stmt[] }[]; else?: Stmt[] }
    | { type: 'for'; target: Target; iter: Expr; filter?: Expr; recursive: boolean; body: Stmt[]; else?: Stmt[] }
    | { type: 'set'; target: Target; expr: Expr }
    | { type: 'setblock'; target: Target; filter?: Expr; body: Stmt[] }
    | { type: 'macro'; macro: MacroDef }
    | { type: 'callblock'; call: Expr; macro: MacroDef }
    | { type: 'filterblock'; filter: Expr; body: Stmt[] }
    | { type: 'with'; targets: { target: Target; expr: Expr }[]; body: Stmt[] }
    | { type: 'include'; template: Expr; ignoreMissing: boolean; withContext: boolean }
    | { type: 'import'; template: Expr; target: string; withContext: boolean }
    | { type: 'fromimport'; template: Expr; names: { name: string; alias: string }[]; withContext: boolean }
    | { type: 'extends'; template: Expr }
    | { type: 'block'; name: string; scoped: boolean; body: Stmt[] }
    | { type: 'do'; expr: Expr }
    | { type: 'break' | 'continue' }
  );

export interface TemplateAst {
  body: Stmt[];
  /** The blocks defined anywhere in the template, by name. */
  blocks: Map<string, Stmt & { type: 'block' }>;
}
