/**
 * AND / OR / NOT and parentheses. The parser hands WHERE and HAVING over as a right-leaning list with
 * paren counts on each condition; this rebuilds the real tree, which SOQL defines strictly: NOT binds
 * to the one expression after it, and AND and OR may not be mixed without parentheses.
 */
import { malformed } from './errors.js';

export type Predicate<T> = (row: T) => boolean;

/** The shape shared by the parser's WhereClause and HavingClause. */
interface ClauseNode {
  left: object | null;
  operator?: string;
  right?: ClauseNode;
}

type Token<C> = { kind: '(' | ')' | 'NOT' | 'AND' | 'OR' } | { kind: 'condition'; condition: C };

const isCondition = (left: object | null): boolean => left !== null && ('field' in left || 'fn' in left);

function tokenize<C>(clause: ClauseNode): Token<C>[] {
  const tokens: Token<C>[] = [];
  const push = (kind: '(' | ')', count: number | undefined) => {
    for (let i = 0; i < (count ?? 0); i++) tokens.push({ kind });
  };
  for (let node: ClauseNode | undefined = clause; node; node = node.right) {
    const left = node.left as (C & { openParen?: number; closeParen?: number }) | { openParen?: number } | null;
    push('(', left?.openParen);
    if (isCondition(left)) {
      tokens.push({ kind: 'condition', condition: left as C });
      push(')', (left as { closeParen?: number }).closeParen);
      if (node.operator) tokens.push({ kind: node.operator as 'AND' | 'OR' | 'NOT' });
    } else {
      tokens.push({ kind: 'NOT' });
    }
  }
  return tokens;
}

function all<T>(parts: Predicate<T>[]): Predicate<T> {
  if (parts.length === 2) {
    const [a, b] = parts;
    return (row) => a(row) && b(row);
  }
  return (row) => parts.every((p) => p(row));
}

function any<T>(parts: Predicate<T>[]): Predicate<T> {
  if (parts.length === 2) {
    const [a, b] = parts;
    return (row) => a(row) || b(row);
  }
  return (row) => parts.some((p) => p(row));
}

/** Where a condition sits in its clause: semi-joins are allowed only at the top level and without OR. */
export interface Placement {
  /** Inside parentheses or under NOT. */
  nested: boolean;
  /** The clause joins something with OR. */
  withOr: boolean;
}

/** Compiles a WHERE or HAVING clause into one predicate, each condition compiled once. */
export function compileClause<T, C>(
  clause: ClauseNode,
  compileCondition: (condition: C, placement: Placement) => Predicate<T>,
): Predicate<T> {
  const tokens = tokenize<C>(clause);
  const withOr = tokens.some((t) => t.kind === 'OR');
  let at = 0;
  let depth = 0;
  const enclosed = (inner: () => Predicate<T>): Predicate<T> => {
    depth++;
    const predicate = inner();
    depth--;
    return predicate;
  };

  const unary = (): Predicate<T> => {
    const token = tokens[at++];
    if (!token) throw malformed('unexpected end of WHERE clause');
    if (token.kind === 'NOT') {
      const inner = enclosed(unary);
      return (row) => !inner(row);
    }
    if (token.kind === '(') {
      const inner = enclosed(expression);
      if (tokens[at++]?.kind !== ')') throw malformed('unbalanced parentheses in WHERE clause');
      return inner;
    }
    if (token.kind === 'condition') return compileCondition(token.condition, { nested: depth > 0, withOr });
    throw malformed(`unexpected token: ${token.kind}`);
  };

  const expression = (): Predicate<T> => {
    const parts = [unary()];
    let joiner: 'AND' | 'OR' | undefined;
    for (let next = tokens[at]; next && (next.kind === 'AND' || next.kind === 'OR'); next = tokens[at]) {
      if (joiner && next.kind !== joiner) throw malformed(`unexpected token: ${next.kind}`);
      joiner = next.kind;
      at++;
      parts.push(unary());
    }
    if (parts.length === 1) return parts[0];
    return joiner === 'AND' ? all(parts) : any(parts);
  };

  const predicate = expression();
  if (at !== tokens.length) throw malformed(`unexpected token: ${tokens[at].kind}`);
  return predicate;
}
