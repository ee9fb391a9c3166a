/** Jinja2's parser: tokens into the tree of ast.ts, with Jinja's grammar and its error words. */
import type { CallArgs, Expr, MacroDef, Pos, Stmt, Target, TemplateAst } from './ast.js';
import { type LexOptions, SyntaxErrorAt, type Token, tokenize } from './lexer.js';
import { pyFloat } from './value.js';

const DESCRIBE: Partial<Record<Token['type'], string>> = {
  variable_end: 'end of print statement',
  block_end: 'end of statement block',
  variable_begin: 'begin of print statement',
  block_begin: 'begin of statement block',
  eof: 'end of template',
};

function describe(t: Token): string {
  return DESCRIBE[t.type] ?? t.value;
}

const COMPARE_OPS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const STATEMENT_TAGS = new Set([
  'for',
  'if',
  'block',
  'extends',
  'print',
  'macro',
  'include',
  'from',
  'import',
  'set',
  'with',
  'call',
  'filter',
  'autoescape',
]);

export function parseTemplate(source: string, options: LexOptions): TemplateAst {
  return new Parser(tokenize(source, options)).parseTemplate();
}

/** Parse a bare expression (a `when:` condition). */
export function parseExpression(source: string, options: LexOptions): Expr {
  const tokens = tokenize(`${options.variableStart} ${source} ${options.variableEnd}`, { ...options, keepTrailingNewline: true });
  const p = new Parser(tokens);
  p.expect('variable_begin');
  const e = p.parseTuple();
  p.expect('variable_end');
  return e;
}

class Parser {
  private i = 0;
  private readonly endStack: string[][] = [];
  private readonly tagStack: string[] = [];
  readonly blocks = new Map<string, Stmt & { type: 'block' }>();

  constructor(private readonly tokens: Token[]) {}

  private get cur(): Token {
    return this.tokens[this.i] as Token;
  }
  private peek(n = 1): Token {
    return (this.tokens[this.i + n] ?? this.tokens[this.tokens.length - 1]) as Token;
  }
  private next(): Token {
    const t = this.cur;
    if (t.type !== 'eof') this.i++;
    return t;
  }
  private is(type: Token['type'], value?: string): boolean {
    return this.cur.type === type && (value === undefined || this.cur.value === value);
  }
  private isOp(value: string): boolean {
    return this.cur.type === 'operator' && this.cur.value === value;
  }
  private isName(value: string): boolean {
    return this.cur.type === 'name' && this.cur.value === value;
  }
  private skipIf(type: Token['type'], value?: string): boolean {
    if (this.is(type, value)) {
      this.next();
      return true;
    }
    return false;
  }

  fail(message: string, at: Token = this.cur): never {
    throw new SyntaxErrorAt(message, at.line, at.col);
  }

  expect(type: Token['type'], value?: string): Token {
    if (!this.is(type, value)) {
      const want = value ?? DESCRIBE[type] ?? type;
      if (this.cur.type === 'eof') this.fail(`unexpected end of template, expected '${want}'.`);
      this.fail(`expected token '${want}', got '${describe(this.cur)}'`);
    }
    return this.next();
  }

  private pos(t: Token = this.cur): Pos {
    return { line: t.line, col: t.col };
  }

  parseTemplate(): TemplateAst {
    const body = this.subparse([]);
    return { body, blocks: this.blocks };
  }

  /** Statements until one of `endTokens` (names) opens a block tag; that tag is left current. */
  private subparse(endTokens: string[]): Stmt[] {
    const body: Stmt[] = [];
    if (endTokens.length) this.endStack.push(endTokens);
    for (;;) {
      const t = this.cur;
      if (t.type === 'eof') break;
      if (t.type === 'data') {
        body.push({ type: 'output', text: t.value, ...this.pos(t) });
        this.next();
      } else if (t.type === 'variable_begin') {
        this.next();
        const expr = this.parseTuple({ withCondexpr: true });
        body.push({ type: 'print', expr, ...this.pos(t) });
        this.expect('variable_end');
      } else if (t.type === 'block_begin') {
        this.next();
        if (endTokens.length && this.cur.type === 'name' && endTokens.includes(this.cur.value)) {
          this.endStack.pop();
          return body;
        }
        const stmt = this.parseStatement();
        if (Array.isArray(stmt)) body.push(...stmt);
        else {
          // A statement is where its tag opens.
          stmt.line = t.line;
          stmt.col = t.col;
          body.push(stmt);
        }
      } else {
        this.fail(`unexpected '${describe(t)}'`);
      }
    }
    if (endTokens.length) this.failUnknownTag(undefined);
    return body;
  }

  private failUnknownTag(name: string | undefined): never {
    const expected = this.endStack.flat();
    let message = name === undefined ? 'Unexpected end of template.' : `Encountered unknown tag '${name}'.`;
    if (expected.length) {
      const top = this.endStack[this.endStack.length - 1] ?? [];
      message += ` Jinja was looking for the following tags: ${top.map((n) => `'${n}'`).join(' or ')}.`;
      const inner = this.tagStack[this.tagStack.length - 1];
      if (inner) message += ` The innermost block that needs to be closed is '${inner}'.`;
    }
    this.fail(message);
  }

  private parseStatement(): Stmt | Stmt[] {
    const t = this.cur;
    if (t.type !== 'name') this.fail('tag name expected');
    const name = t.value;
    this.tagStack.push(name);
    let popTag = true;
    try {
      switch (name) {
        case 'if':
          return this.parseIf();
        case 'for':
          return this.parseFor();
        case 'set':
          return this.parseSet();
        case 'macro':
          return this.parseMacro();
        case 'call':
          return this.parseCallBlock();
        case 'filter':
          return this.parseFilterBlock();
        case 'with':
          return this.parseWith();
        case 'include':
          return this.parseInclude();
        case 'import':
          return this.parseImport();
        case 'from':
          return this.parseFrom();
        case 'extends':
          return this.parseExtends();
        case 'block':
          return this.parseBlock();
        case 'print': {
          this.next();
          const expr = this.parseTuple({ withCondexpr: true });
          this.expect('block_end');
          return { type: 'print', expr, ...this.pos(t) };
        }
        case 'autoescape': {
          this.next();
          this.parseExpr();
          this.expect('block_end');
          const body = this.subparse(['endautoescape']);
          this.next();
          this.expect('block_end');
          return body;
        }
        default:
          popTag = false;
          this.tagStack.pop();
          if (STATEMENT_TAGS.has(name)) this.fail(`unexpected tag '${name}'`);
          return this.failUnknownTag(name);
      }
    } finally {
      if (popTag) this.tagStack.pop();
    }
  }

  private parseIf(): Stmt {
    const start = this.next();
    const branches: { test: Expr; body: Stmt[] }[] = [];
    let elseBody: Stmt[] | undefined;
    let test = this.parseTuple({ withCondexpr: false });
    this.expect('block_end');
    for (;;) {
      const body = this.subparse(['elif', 'else', 'endif']);
      branches.push({ test, body });
      const tag = this.next().value;
      if (tag === 'elif') {
        test = this.parseTuple({ withCondexpr: false });
        this.expect('block_end');
        continue;
      }
      if (tag === 'else') {
        this.expect('block_end');
        elseBody = this.subparse(['endif']);
        this.next();
      }
      break;
    }
    this.expect('block_end');
    return { type: 'if', branches, else: elseBody, ...this.pos(start) };
  }

  private parseFor(): Stmt {
    const start = this.next();
    const target = this.parseAssignTarget(['in']);
    this.expect('name', 'in');
    const iter = this.parseTuple({ withCondexpr: false, extraEnd: ['recursive'] });
    let filter: Expr | undefined;
    if (this.skipIf('name', 'if')) filter = this.parseExpr();
    const recursive = this.skipIf('name', 'recursive');
    this.expect('block_end');
    const body = this.subparse(['endfor', 'else']);
    let elseBody: Stmt[] | undefined;
    if (this.next().value === 'else') {
      this.expect('block_end');
      elseBody = this.subparse(['endfor']);
      this.next();
    }
    this.expect('block_end');
    return { type: 'for', target, iter, filter, recursive, body, else: elseBody, ...this.pos(start) };
  }

  private parseSet(): Stmt {
    const start = this.next();
    const target = this.parseAssignTarget([], true);
    if (this.skipIf('operator', '=')) {
      const expr = this.parseTuple();
      this.expect('block_end');
      return { type: 'set', target, expr, ...this.pos(start) };
    }
    const filter = this.isOp('|') ? this.parseFilterChain(undefined) : undefined;
    this.expect('block_end');
    const body = this.subparse(['endset']);
    this.next();
    this.expect('block_end');
    return { type: 'setblock', target, filter, body, ...this.pos(start) };
  }

  private parseMacroSignature(macro: MacroDef): void {
    this.expect('operator', '(');
    while (!this.isOp(')')) {
      if (macro.params.length) this.expect('operator', ',');
      const name = this.expect('name').value;
      const param: { name: string; default?: Expr } = { name };
      if (this.skipIf('operator', '=')) param.default = this.parseExpr();
      else if (macro.params.some((p) => p.default)) this.fail('non-default argument follows default argument');
      macro.params.push(param);
    }
    this.expect('operator', ')');
  }

  private newMacro(name: string): MacroDef {
    return { name, params: [], body: [], usesVarargs: false, usesKwargs: false, usesCaller: false };
  }

  private finishMacro(macro: MacroDef): void {
    const names = new Set<string>();
    collectNames(macro.body, names);
    macro.usesVarargs = names.has('varargs');
    macro.usesKwargs = names.has('kwargs');
    macro.usesCaller = names.has('caller');
  }

  private parseMacro(): Stmt {
    const start = this.next();
    const macro = this.newMacro(this.expect('name').value);
    this.parseMacroSignature(macro);
    this.expect('block_end');
    macro.body = this.subparse(['endmacro']);
    this.next();
    this.skipIf('name', macro.name);
    this.expect('block_end');
    this.finishMacro(macro);
    return { type: 'macro', macro, ...this.pos(start) };
  }

  private parseCallBlock(): Stmt {
    const start = this.next();
    const macro = this.newMacro('caller');
    if (this.isOp('(')) this.parseMacroSignature(macro);
    const call = this.parseExpr();
    if (call.type !== 'call') this.fail('expected call', start);
    this.expect('block_end');
    macro.body = this.subparse(['endcall']);
    this.next();
    this.expect('block_end');
    this.finishMacro(macro);
    return { type: 'callblock', call, macro, ...this.pos(start) };
  }

  private parseFilterBlock(): Stmt {
    const start = this.next();
    const filter = this.parseFilterChain(undefined, true);
    this.expect('block_end');
    const body = this.subparse(['endfilter']);
    this.next();
    this.expect('block_end');
    return { type: 'filterblock', filter, body, ...this.pos(start) };
  }

  private parseWith(): Stmt {
    const start = this.next();
    const targets: { target: Target; expr: Expr }[] = [];
    while (!this.is('block_end')) {
      if (targets.length) this.expect('operator', ',');
      const target = this.parseAssignTarget([]);
      this.expect('operator', '=');
      targets.push({ target, expr: this.parseExpr() });
    }
    this.next();
    const body = this.subparse(['endwith']);
    this.next();
    this.expect('block_end');
    return { type: 'with', targets, body, ...this.pos(start) };
  }

  private parseContextModifier(dflt: boolean): boolean {
    if ((this.isName('with') || this.isName('without')) && this.peek().type === 'name' && this.peek().value === 'context') {
      const withCtx = this.next().value === 'with';
      this.next();
      return withCtx;
    }
    return dflt;
  }

  private parseInclude(): Stmt {
    const start = this.next();
    const template = this.parseExpr();
    let ignoreMissing = false;
    if (this.isName('ignore') && this.peek().type === 'name' && this.peek().value === 'missing') {
      this.next();
      this.next();
      ignoreMissing = true;
    }
    const withContext = this.parseContextModifier(true);
    this.expect('block_end');
    return { type: 'include', template, ignoreMissing, withContext, ...this.pos(start) };
  }

  private parseImport(): Stmt {
    const start = this.next();
    const template = this.parseExpr();
    this.expect('name', 'as');
    const target = this.expect('name').value;
    const withContext = this.parseContextModifier(false);
    this.expect('block_end');
    return { type: 'import', template, target, withContext, ...this.pos(start) };
  }

  private parseFrom(): Stmt {
    const start = this.next();
    const template = this.parseExpr();
    this.expect('name', 'import');
    const names: { name: string; alias: string }[] = [];
    let withContext = false;
    for (;;) {
      if (names.length && !this.skipIf('operator', ',')) break;
      if (this.isName('with') || this.isName('without')) {
        if (this.peek().type === 'name' && this.peek().value === 'context') {
          withContext = this.parseContextModifier(false);
          break;
        }
      }
      if (!this.is('name')) break;
      const name = this.next().value;
      if (name.startsWith('_')) this.fail('names starting with an underline can not be imported');
      const alias = this.skipIf('name', 'as') ? this.expect('name').value : name;
      names.push({ name, alias });
    }
    withContext = this.parseContextModifier(withContext);
    this.expect('block_end');
    return { type: 'fromimport', template, names, withContext, ...this.pos(start) };
  }

  private parseExtends(): Stmt {
    const start = this.next();
    const template = this.parseExpr();
    this.expect('block_end');
    return { type: 'extends', template, ...this.pos(start) };
  }

  private parseBlock(): Stmt {
    const start = this.next();
    const name = this.expect('name').value;
    const scoped = this.skipIf('name', 'scoped');
    this.skipIf('name', 'required');
    if (this.is('operator', '-')) this.fail('Use an underscore instead');
    this.expect('block_end');
    if (this.blocks.has(name)) this.fail(`block '${name}' defined twice`, start);
    const body = this.subparse(['endblock']);
    this.next();
    if (this.is('name')) {
      const endName = this.next().value;
      if (endName !== name) this.fail(`mismatching name on endblock tag: '${endName}' (expected '${name}')`);
    }
    this.expect('block_end');
    const block = { type: 'block' as const, name, scoped, body, ...this.pos(start) };
    this.blocks.set(name, block);
    return block;
  }

  /** A name, `ns.attr` (set only) or a tuple of names, as `for` and `set` bind them. */
  private parseAssignTarget(extraEnd: string[], allowNs = false): Target {
    const start = this.cur;
    const one = (): Target => {
      const t = this.expect('name');
      if (allowNs && this.isOp('.') && this.peek().type === 'name') {
        this.next();
        return { type: 'nsattr', name: t.value, attr: this.next().value, ...this.pos(t) };
      }
      return { type: 'name', name: t.value, ...this.pos(t) };
    };
    const items: Target[] = [];
    let explicitTuple = false;
    if (this.isOp('(')) {
      this.next();
      const inner = this.parseAssignTarget(extraEnd);
      this.expect('operator', ')');
      items.push(inner);
    } else items.push(one());
    while (this.isOp(',')) {
      explicitTuple = true;
      this.next();
      if (this.is('name') && extraEnd.includes(this.cur.value)) break;
      if (this.isOp('(')) {
        this.next();
        items.push(this.parseAssignTarget(extraEnd));
        this.expect('operator', ')');
      } else items.push(one());
    }
    if (!explicitTuple && items.length === 1) return items[0] as Target;
    return { type: 'tuple', items, ...this.pos(start) };
  }

  // ---- expressions ----

  /** Expressions separated by commas make a tuple (`for k, v in ...`, `{{ 1, 2 }}`). */
  parseTuple(opts: { withCondexpr?: boolean; extraEnd?: string[]; explicitParens?: boolean } = {}): Expr {
    const start = this.cur;
    const items: Expr[] = [];
    let isTuple = false;
    const parse = () => (opts.withCondexpr === false ? this.parseOr() : this.parseExpr());
    for (;;) {
      if (items.length) {
        if (!this.isOp(',')) break;
        this.next();
        isTuple = true;
      }
      if (this.tupleEnds(opts.extraEnd)) break;
      items.push(parse());
    }
    if (!isTuple) {
      if (items.length) return items[0] as Expr;
      if (!opts.explicitParens) this.fail(`Expected an expression, got '${describe(this.cur)}'`);
    }
    return { type: 'tuple', items, ...this.pos(start) };
  }

  private tupleEnds(extraEnd: string[] = []): boolean {
    const t = this.cur;
    if (t.type === 'variable_end' || t.type === 'block_end' || t.type === 'eof') return true;
    if (t.type === 'operator' && t.value === ')') return true;
    return t.type === 'name' && extraEnd.includes(t.value);
  }

  parseExpr(): Expr {
    return this.parseCondexpr();
  }

  private parseCondexpr(): Expr {
    const start = this.cur;
    let expr = this.parseOr();
    while (this.isName('if')) {
      this.next();
      const test = this.parseOr();
      const elseExpr = this.skipIf('name', 'else') ? this.parseCondexpr() : undefined;
      expr = { type: 'condexpr', test, yes: expr, no: elseExpr, ...this.pos(start) };
    }
    return expr;
  }

  private parseOr(): Expr {
    const start = this.cur;
    let left = this.parseAnd();
    while (this.skipIf('name', 'or')) left = { type: 'or', left, right: this.parseAnd(), ...this.pos(start) };
    return left;
  }

  private parseAnd(): Expr {
    const start = this.cur;
    let left = this.parseNot();
    while (this.skipIf('name', 'and')) left = { type: 'and', left, right: this.parseNot(), ...this.pos(start) };
    return left;
  }

  private parseNot(): Expr {
    const start = this.cur;
    if (this.skipIf('name', 'not')) return { type: 'unary', op: 'not', node: this.parseNot(), ...this.pos(start) };
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const start = this.cur;
    const first = this.parseMath1();
    const ops: { op: string; expr: Expr }[] = [];
    for (;;) {
      if (this.cur.type === 'operator' && COMPARE_OPS.has(this.cur.value)) {
        const op = this.next().value;
        ops.push({ op, expr: this.parseMath1() });
      } else if (this.isName('in')) {
        this.next();
        ops.push({ op: 'in', expr: this.parseMath1() });
      } else if (this.isName('not') && this.peek().type === 'name' && this.peek().value === 'in') {
        this.next();
        this.next();
        ops.push({ op: 'notin', expr: this.parseMath1() });
      } else break;
    }
    return ops.length ? { type: 'compare', first, ops, ...this.pos(start) } : first;
  }

  private parseMath1(): Expr {
    const start = this.cur;
    let left = this.parseConcat();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().value;
      left = { type: 'binop', op, left, right: this.parseConcat(), ...this.pos(start) };
    }
    return left;
  }

  private parseConcat(): Expr {
    const start = this.cur;
    const items = [this.parseMath2()];
    while (this.skipIf('operator', '~')) items.push(this.parseMath2());
    return items.length === 1 ? (items[0] as Expr) : { type: 'concat', items, ...this.pos(start) };
  }

  private parseMath2(): Expr {
    const start = this.cur;
    let left = this.parsePow();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const op = this.next().value;
      left = { type: 'binop', op, left, right: this.parsePow(), ...this.pos(start) };
    }
    return left;
  }

  private parsePow(): Expr {
    const start = this.cur;
    let left = this.parseUnary();
    while (this.skipIf('operator', '**')) left = { type: 'binop', op: '**', left, right: this.parseUnary(), ...this.pos(start) };
    return left;
  }

  private parseUnary(withFilter = true): Expr {
    const start = this.cur;
    let node: Expr;
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next().value as '-' | '+';
      node = { type: 'unary', op, node: this.parseUnary(false), ...this.pos(start) };
    } else node = this.parsePrimary();
    node = this.parsePostfix(node);
    if (withFilter) node = this.parseFilterExpr(node);
    return node;
  }

  private parsePrimary(): Expr {
    const t = this.cur;
    const p = this.pos(t);
    switch (t.type) {
      case 'name': {
        this.next();
        if (t.value === 'true' || t.value === 'True') return { type: 'const', value: true, ...p };
        if (t.value === 'false' || t.value === 'False') return { type: 'const', value: false, ...p };
        if (t.value === 'none' || t.value === 'None') return { type: 'const', value: null, ...p };
        return { type: 'name', name: t.value, ...p };
      }
      case 'string': {
        let value = this.next().value;
        while (this.is('string')) value += this.next().value;
        return { type: 'const', value, ...p };
      }
      case 'integer':
        this.next();
        return { type: 'const', value: t.num, ...p };
      case 'float':
        this.next();
        return { type: 'const', value: floatConst(t.num ?? 0), ...p };
      case 'operator':
        if (t.value === '(') {
          this.next();
          const e = this.parseTuple({ explicitParens: true });
          this.expect('operator', ')');
          return e;
        }
        if (t.value === '[') return this.parseList();
        if (t.value === '{') return this.parseDict();
        break;
      default:
        break;
    }
    if (t.type === 'eof') this.fail('unexpected end of template');
    return this.fail(`unexpected '${describe(t)}'`);
  }

  private parseList(): Expr {
    const start = this.expect('operator', '[');
    const items: Expr[] = [];
    while (!this.isOp(']')) {
      if (items.length) this.expect('operator', ',');
      if (this.isOp(']')) break;
      items.push(this.parseExpr());
    }
    this.expect('operator', ']');
    return { type: 'list', items, ...this.pos(start) };
  }

  private parseDict(): Expr {
    const start = this.expect('operator', '{');
    const items: { key: Expr; value: Expr }[] = [];
    while (!this.isOp('}')) {
      if (items.length) this.expect('operator', ',');
      if (this.isOp('}')) break;
      const key = this.parseExpr();
      this.expect('operator', ':');
      items.push({ key, value: this.parseExpr() });
    }
    this.expect('operator', '}');
    return { type: 'dict', items, ...this.pos(start) };
  }

  private parsePostfix(node: Expr): Expr {
    let n = node;
    for (;;) {
      if (this.isOp('.') || this.isOp('[')) n = this.parseSubscript(n);
      else if (this.isOp('(')) n = { type: 'call', node: n, call: this.parseCallArgs(), line: n.line, col: n.col };
      else return n;
    }
  }

  private parseFilterExpr(node: Expr): Expr {
    let n = node;
    for (;;) {
      if (this.isOp('|')) n = this.parseFilterChain(n);
      else if (this.isName('is')) n = this.parseTest(n);
      else if (this.isOp('(')) n = { type: 'call', node: n, call: this.parseCallArgs(), ...this.pos() };
      else return n;
    }
  }

  private parseSubscript(node: Expr): Expr {
    const t = this.next();
    // An attribute or item read is placed where the value it reads from starts.
    const p = { line: node.line, col: node.col };
    if (t.value === '.') {
      const a = this.next();
      if (a.type === 'name') return { type: 'getattr', node, attr: a.value, ...p };
      if (a.type === 'integer') return { type: 'getitem', node, arg: { type: 'const', value: a.num, ...this.pos(a) }, ...p };
      this.fail('expected name or number', a);
    }
    // '[': an index or a slice.
    const parts: (Expr | undefined)[] = [];
    let isSlice = false;
    let current: Expr | undefined;
    while (!this.isOp(']')) {
      if (this.isOp(':')) {
        this.next();
        isSlice = true;
        parts.push(current);
        current = undefined;
        continue;
      }
      if (this.isOp(',')) this.fail('tuple subscripts are not supported');
      current = this.parseExpr();
    }
    parts.push(current);
    this.expect('operator', ']');
    if (!isSlice) {
      if (!parts[0]) this.fail('expected subscript expression');
      return { type: 'getitem', node, arg: parts[0] as Expr, ...p };
    }
    return { type: 'slice', node, start: parts[0], stop: parts[1], step: parts[2], ...p };
  }

  private parseCallArgs(): CallArgs {
    this.expect('operator', '(');
    const call: CallArgs = { args: [], kwargs: [] };
    let first = true;
    while (!this.isOp(')')) {
      if (!first) {
        this.expect('operator', ',');
        if (this.isOp(')')) break;
      }
      first = false;
      if (this.isOp('**')) {
        this.next();
        call.dynKwargs = this.parseExpr();
      } else if (this.isOp('*')) {
        this.next();
        call.dynArgs = this.parseExpr();
      } else if (this.is('name') && this.peek().type === 'operator' && this.peek().value === '=') {
        const name = this.next().value;
        this.next();
        call.kwargs.push({ name, value: this.parseExpr() });
      } else {
        if (call.kwargs.length || call.dynArgs || call.dynKwargs) this.fail('Invalid argument syntax for function call');
        call.args.push(this.parseExpr());
      }
    }
    this.expect('operator', ')');
    return call;
  }

  private dottedName(): string {
    let name = this.expect('name').value;
    while (this.isOp('.') && this.peek().type === 'name') {
      this.next();
      name += `.${this.next().value}`;
    }
    return name;
  }

  /** `| f(args) | g`: `node` undefined for a filter block's chain (applied to the body later). */
  private parseFilterChain(node: Expr | undefined, startWithoutPipe = false): Expr {
    let n = node;
    let first = true;
    while (this.isOp('|') || (startWithoutPipe && first)) {
      if (!(startWithoutPipe && first)) this.next();
      first = false;
      const t = this.cur;
      const name = this.dottedName();
      const call = this.isOp('(') ? this.parseCallArgs() : { args: [], kwargs: [] };
      n = { type: 'filter', node: n, name, call, ...this.pos(t) };
    }
    return n as Expr;
  }

  private parseTest(node: Expr): Expr {
    const start = this.next();
    const negated = this.skipIf('name', 'not');
    const name = this.dottedName();
    let call: CallArgs = { args: [], kwargs: [] };
    if (this.isOp('(')) call = this.parseCallArgs();
    else if (
      (this.is('name') || this.is('string') || this.is('integer') || this.is('float') || this.isOp('[') || this.isOp('{')) &&
      !(this.isName('else') || this.isName('or') || this.isName('and') || this.isName('if'))
    ) {
      if (this.isName('is')) this.fail('You cannot chain multiple tests with is');
      const arg = this.parsePostfix(this.parsePrimary());
      call = { args: [arg], kwargs: [] };
    }
    const test: Expr = { type: 'test', node, name, call, ...this.pos(start) };
    return negated ? { type: 'unary', op: 'not', node: test, ...this.pos(start) } : test;
  }
}

/** A float literal keeps being a float when its value is integral (`2.0`). */
function floatConst(n: number): unknown {
  return pyFloat(n);
}

/** Every name read anywhere below these statements (to see whether a macro uses varargs/caller). */
function collectNames(node: unknown, out: Set<string>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collectNames(n, out);
    return;
  }
  const n = node as { type?: string; name?: unknown };
  if (n.type === 'name' && typeof n.name === 'string') out.add(n.name);
  for (const v of Object.values(node)) if (v && typeof v === 'object') collectNames(v, out);
}
