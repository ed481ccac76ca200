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

/** Where a condition sits in its clause: semi-joins are allowed only at the top level and without OR. */
export interface Placement {
  /** Inside parentheses or under NOT. */
  nested: boolean;
  /** The clause joins something with OR. */
  withOr: boolean;
}

/** How a clause's parts combine into one result: a predicate (compileClause), or the rows an index offers (plan.ts). */
export interface ClauseAlgebra<C, R> {
  condition(condition: C, placement: Placement): R;
  and(parts: R[]): R;
  or(parts: R[]): R;
  not(inner: R): R;
}

/** Folds a WHERE or HAVING clause through `algebra`, each condition visited once, in the order written. */
export function foldClause<C, R>(clause: ClauseNode, algebra: ClauseAlgebra<C, R>): R {
  const tokens = tokenize<C>(clause);
  const withOr = tokens.some((t) => t.kind === 'OR');
  let at = 0;
  let depth = 0;
  const enclosed = (inner: () => R): R => {
    depth++;
    const result = inner();
    depth--;
    return result;
  };

  const unary = (): R => {
    const token = tokens[at++];
    if (!token) throw malformed('unexpected end of WHERE clause');
    if (token.kind === 'NOT') return algebra.not(enclosed(unary));
    if (token.kind === '(') {
      const inner = enclosed(expression);
      if (tokens[at++]?.kind !== ')') throw malformed('unbalanced parentheses in WHERE clause');
      return inner;
    }
    if (token.kind === 'condition') return algebra.condition(token.condition, { nested: depth > 0, withOr });
    throw malformed(`unexpected token: ${token.kind}`);
  };

  const expression = (): R => {
    const parts = [unary()];
    let joiner: 'AND' | 'OR' | undefined;
    for (let next = tokens[at]; next && (next.kind === 'AND' || next.kind === 'OR'); next = tokens[at]) {
      if (joiner && next.kind !== joiner) throw malformed(`unexpected token: ${next.kind}`);
      joiner = next.kind;
      at++;
      parts.push(unary());
    }
    if (parts.length === 1) return parts[0];
    return joiner === 'AND' ? algebra.and(parts) : algebra.or(parts);
  };

  const result = expression();
  if (at !== tokens.length) throw malformed(`unexpected token: ${tokens[at].kind}`);
  return result;
}

/** Compiles a WHERE or HAVING clause into one predicate, each condition compiled once. */
export function compileClause<T, C>(
  clause: ClauseNode,
  compileCondition: (condition: C, placement: Placement) => Predicate<T>,
): Predicate<T> {
  return foldClause<C, Predicate<T>>(clause, {
    condition: compileCondition,
    and: (parts) => {
      if (parts.length === 2) {
        const [a, b] = parts;
        return (row) => a(row) && b(row);
      }
      return (row) => parts.every((p) => p(row));
    },
    or: (parts) => {
      if (parts.length === 2) {
        const [a, b] = parts;
        return (row) => a(row) || b(row);
      }
      return (row) => parts.some((p) => p(row));
    },
    not: (inner) => (row) => !inner(row),
  });
}
