/**
 * Every regular expression in src/ is proven free of super-linear backtracking by recheck's static analysis (its
 * automaton checker gives a verdict from the pattern itself, with an attack string when one exists), so no message,
 * button value or command can stall the event loop. Patterns are collected from the source, so a new one is checked
 * without being listed here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

interface Literal {
  file: string;
  source: string;
  flags: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function regexLiterals(file: string): Literal[] {
  const tree = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Literal[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const text = node.text;
      const end = text.lastIndexOf('/');
      found.push({ file, source: text.slice(1, end), flags: text.slice(end + 1) });
    }
    node.forEachChild(visit);
  };
  visit(tree);
  return found;
}

const literals = sourceFiles('src').flatMap(regexLiterals);

describe('regular expressions in src/', () => {
  it('are found (the scan reads the source)', () => {
    expect(literals.length).toBeGreaterThan(40);
  });

  it.each(literals.map((l) => [`${l.file}: /${l.source}/${l.flags}`, l] as const))(
    '%s runs in linear time',
    (_name, literal) => {
      const verdict = checkSync(literal.source, literal.flags, { checker: 'automaton', timeout: 10_000 });
      expect({
        status: verdict.status,
        complexity: verdict.status === 'vulnerable' ? verdict.complexity : undefined,
      }).toEqual({
        status: 'safe',
        complexity: undefined,
      });
    },
    30_000,
  );
});
