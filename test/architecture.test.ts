/**
 * The boundaries of the house, read from the imports themselves: the local stand-ins (the embedded LMO and the local
 * Slack) are workspace packages that know nothing of the bot, and the bot reaches them through one bridge only, loaded
 * only in local mode; a feature builds on the runtime's types and the shared layers, never on another feature or on
 * the wiring; and no module of the bot takes part in an import cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildImportGraph, findCycles, type ImportEdge, REPO_ROOT, sourceFiles } from './support/import-graph.js';

/** The packages only the bridge may load: a production bot never carries them. */
const STAND_INS = ['lmo-emulator', 'slack-sandbox'];
const BRIDGE = 'src/app/local.ts';
const PACKAGES = readdirSync(join(REPO_ROOT, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const graph = buildImportGraph(sourceFiles('src', ...PACKAGES.map((name) => `packages/${name}/src`)));
const packageOf = (file: string | undefined) => file?.match(/^packages\/([^/]+)\//)?.[1];
const show = (e: ImportEdge) => `${e.from} → '${e.specifier}'${e.to ? ` (${e.to})` : ''}`;

describe('the import graph', () => {
  it('reads every kind of import, the bridge’s dynamic ones included', () => {
    const bridge = graph.edges.filter((e) => e.from === BRIDGE);
    expect(bridge).toContainEqual(
      expect.objectContaining({ to: 'packages/lmo-emulator/src/index.ts', dynamic: true, typeOnly: false }),
    );
    expect(bridge).toContainEqual(
      expect.objectContaining({ to: 'packages/slack-sandbox/src/index.ts', dynamic: true, typeOnly: false }),
    );
    expect(bridge).toContainEqual(expect.objectContaining({ specifier: '@lma-bot/lmo-emulator', typeOnly: true }));
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ from: 'src/lma/dates.ts', to: 'packages/zone/src/index.ts', typeOnly: false }),
    );
  });
});

describe('the bot and its local stand-ins', () => {
  it(`only ${BRIDGE} imports the embedded LMO or the local Slack, by name or by path`, () => {
    const crossings = graph.edges.filter(
      (e) =>
        e.from.startsWith('src/') &&
        e.from !== BRIDGE &&
        (STAND_INS.includes(packageOf(e.to) ?? '') || STAND_INS.some((name) => e.specifier === `@lma-bot/${name}`)),
    );
    expect(crossings.map(show)).toEqual([]);
  });

  it('the bot loads the bridge only with a dynamic import (or for types), so a production bot never does', () => {
    const loads = graph.edges.filter((e) => e.to === BRIDGE && !e.dynamic && !e.typeOnly);
    expect(loads.map(show)).toEqual([]);
    expect(graph.edges.some((e) => e.to === BRIDGE && e.dynamic)).toBe(true);
  });

  it('the bridge loads each stand-in only when its mode is used: values by dynamic import, statically types only', () => {
    const eager = graph.edges.filter(
      (e) => e.from === BRIDGE && STAND_INS.includes(packageOf(e.to) ?? '') && !e.dynamic && !e.typeOnly,
    );
    expect(eager.map(show)).toEqual([]);
  });
});

describe.each(PACKAGES)('packages/%s', (name) => {
  const edges = graph.edges.filter((e) => packageOf(e.from) === name);
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', name, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const declared = Object.keys(manifest.dependencies ?? {});

  it('imports no bot code, and no other package by path', () => {
    const outside = edges.filter(
      (e) => e.to?.startsWith('src/') || (e.specifier.startsWith('.') && packageOf(e.to) !== name),
    );
    expect(outside.map(show)).toEqual([]);
  });

  it('lists every package it imports in its own package.json dependencies', () => {
    const bare = edges.filter((e) => !e.specifier.startsWith('.') && !e.specifier.startsWith('node:'));
    const undeclared = bare.filter((e) => !declared.some((d) => e.specifier === d || e.specifier.startsWith(`${d}/`)));
    expect(undeclared.map(show)).toEqual([]);
  });
});

const RUNTIME = 'src/app/runtime.ts';
const featureOf = (file: string | undefined) => file?.match(/^src\/features\/([^/]+)\//)?.[1];
/** What a feature may build on besides its own folder: the runtime's types and the shared layers. */
const FEATURE_MAY_IMPORT = [
  RUNTIME,
  'src/config.ts',
  'src/logger.ts',
  'src/parse/',
  'src/lma/',
  'src/slack/',
  'src/store/',
  'src/util/',
];

describe('features', () => {
  const featureEdges = graph.edges.filter((e) => featureOf(e.from) !== undefined && e.to?.startsWith('src/'));

  it('never import another feature’s modules', () => {
    const crossings = featureEdges.filter(
      (e) => featureOf(e.to) !== undefined && featureOf(e.to) !== featureOf(e.from),
    );
    expect(crossings.map(show)).toEqual([]);
  });

  it(`import from src/ only ${RUNTIME} and the shared layers (parse, lma, slack, store, util), never the wiring`, () => {
    const outside = featureEdges.filter(
      (e) => featureOf(e.to) !== featureOf(e.from) && !FEATURE_MAY_IMPORT.some((allowed) => e.to!.startsWith(allowed)),
    );
    expect(outside.map(show)).toEqual([]);
  });

  it('every feature folder is listed in src/app/features.ts', () => {
    const folders = readdirSync(join(REPO_ROOT, 'src/features'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const listed = new Set(graph.edges.filter((e) => e.from === 'src/app/features.ts').map((e) => featureOf(e.to)));
    expect(folders.filter((folder) => !listed.has(folder))).toEqual([]);
  });
});

describe(RUNTIME, () => {
  it('imports types only, so every module may lean on it without tying itself to the wiring', () => {
    const values = graph.edges.filter((e) => e.from === RUNTIME && !e.typeOnly);
    expect(values.map(show)).toEqual([]);
  });

  it('is a leaf among the bot’s modules: nothing it imports imports the wiring back', () => {
    const reached = new Set<string>();
    const visit = (file: string) => {
      for (const e of graph.edges.filter((edge) => edge.from === file && edge.to?.startsWith('src/'))) {
        if (reached.has(e.to!)) continue;
        reached.add(e.to!);
        visit(e.to!);
      }
    };
    visit(RUNTIME);
    expect([...reached].filter((file) => file.startsWith('src/app/') || featureOf(file) !== undefined)).toEqual([]);
  });
});

describe('import cycles', () => {
  it('none in src/ (type-only imports count)', () => {
    expect(findCycles(graph, (file) => file.startsWith('src/'))).toEqual([]);
  });

  it('none inside packages/ (type-only imports count)', () => {
    expect(findCycles(graph, (file) => file.startsWith('packages/'))).toEqual([]);
  });

  it('findCycles finds a cycle through a type-only import, and only the files on it', () => {
    const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({
      from,
      to,
      specifier: to,
      typeOnly,
      dynamic: false,
    });
    const sample = {
      files: ['a.ts', 'b.ts', 'c.ts', 'd.ts'],
      edges: [edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts'), edge('c.ts', 'a.ts', true), edge('c.ts', 'd.ts')],
    };
    expect(findCycles(sample)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(findCycles(sample, (file) => file !== 'b.ts')).toEqual([]);
  });
});
