/**
 * The boundaries of the house, read from the imports themselves: the local stand-ins (the embedded LMO and the local
 * Slack) are workspace packages that know nothing of the bot, and the bot reaches them through one bridge only, loaded
 * only in local mode.
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

describe('import cycles', () => {
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
