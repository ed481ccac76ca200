/**
 * The import graph of the project's TypeScript sources, read with the TypeScript compiler API and resolved as tsc
 * resolves them (tsconfig.json: NodeNext, our workspace packages' source condition): static imports and re-exports,
 * `import type`, dynamic `import()` and `import('…').Type`. For tests that hold the architecture to its rules.
 */
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Both paths from the repository root, with forward slashes. */
  from: string;
  /** The file it resolves to; undefined for a node builtin or a dependency in node_modules. */
  to?: string;
  /** As written: './x.js', '@lma-bot/zone', 'node:fs'. */
  specifier: string;
  /** Erased at run time: `import type`, `export type … from`, all names `type`, `import('…').T`. */
  typeOnly: boolean;
  /** `await import('…')`: loaded only when that line runs. */
  dynamic: boolean;
}

export interface ImportGraph {
  /** Every source file read, from the repository root. */
  files: string[];
  edges: ImportEdge[];
}

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The .ts files under these folders (from the repository root), sorted. */
export function sourceFiles(...folders: string[]): string[] {
  return folders
    .flatMap((folder) =>
      readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
        .map((name) => toRepoPath(join(REPO_ROOT, folder, name))),
    )
    .sort();
}

export function buildImportGraph(files: string[]): ImportGraph {
  const options = compilerOptions();
  const edges = files.flatMap((file) => {
    const path = join(REPO_ROOT, file);
    const source = ts.createSourceFile(path, ts.sys.readFile(path) ?? '', ts.ScriptTarget.Latest, true);
    return importsOf(source).map((found) => {
      const resolved = ts.resolveModuleName(found.specifier, path, options, ts.sys).resolvedModule;
      // Our workspace packages are found through node_modules links: their real path says they are ours.
      const real = resolved && toRepoPath(ts.sys.realpath?.(resolved.resolvedFileName) ?? resolved.resolvedFileName);
      const to = real && !real.startsWith('..') && !real.includes('node_modules/') ? real : undefined;
      if (!to && !isBuiltin(found.specifier) && !resolved)
        throw new Error(`${file}: cannot resolve import '${found.specifier}'`);
      return { from: file, to, ...found };
    });
  });
  return { files, edges };
}

/**
 * Import cycles among the files `within` admits: each cycle is one strongly connected component of two files or
 * more (or a file importing itself), its files sorted. Type-only imports count: they still tie the modules together.
 */
export function findCycles(graph: ImportGraph, within: (file: string) => boolean = () => true): string[][] {
  const next = new Map<string, string[]>();
  for (const file of graph.files.filter(within)) next.set(file, []);
  for (const edge of graph.edges) {
    if (edge.to && next.has(edge.from) && next.has(edge.to)) next.get(edge.from)!.push(edge.to);
  }
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const to of next.get(file)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || next.get(file)!.includes(file)) cycles.push(component.sort());
  };
  for (const file of next.keys()) if (!index.has(file)) visit(file);
  return cycles.sort((a, b) => a[0].localeCompare(b[0]));
}

type FoundImport = Omit<ImportEdge, 'from' | 'to'>;

function importsOf(source: ts.SourceFile): FoundImport[] {
  const found: FoundImport[] = [];
  const add = (specifier: ts.Node | undefined, typeOnly: boolean, dynamic = false) => {
    if (specifier && ts.isStringLiteralLike(specifier)) found.push({ specifier: specifier.text, typeOnly, dynamic });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, importIsTypeOnly(node.importClause));
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, exportIsTypeOnly(node));
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression, node.isTypeOnly);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      add(node.arguments[0], false, true);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function importIsTypeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // `import './x.js'` runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

function exportIsTypeOnly(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.every((e) => e.isTypeOnly);
}

function compilerOptions(): ts.CompilerOptions {
  const file = join(REPO_ROOT, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config, ts.sys, REPO_ROOT).options;
}

const BUILTINS = new Set(builtinModules);
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || BUILTINS.has(specifier);

const toRepoPath = (absolute: string) => relative(REPO_ROOT, absolute).split(sep).join('/');
