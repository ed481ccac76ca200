/**
 * Every SOQL string of the bot lives in src/lma/ (the embedded LMO, which parses SOQL, is a package outside src/), and
 * every SQL one in src/store/: a scan of the sources for `SELECT … FROM <object>`, so a query added anywhere else fails
 * here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MIGRATIONS } from '../../src/store/schema.js';

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

/**
 * SELECT, then within a few lines FROM and what it reads (queries are built across concatenations): a name, or an
 * interpolation, which no store table is.
 */
const SELECT_FROM = /\bSELECT\b[\s\S]{0,400}?\bFROM\s+(\$\{[^}]*\}|[A-Za-z_]\w*)/g;

/** The tables of every dialect (Postgres keeps its schema version in a table of its own), less those dropped since. */
const tablesIn = (pattern: RegExp) =>
  MIGRATIONS.flatMap((m) => Object.values(m.sql).flatMap((sql) => [...sql.matchAll(pattern)].map((t) => t[1])));
const DROPPED = new Set(tablesIn(/DROP TABLE (?:IF EXISTS )?(\w+)/g));
const STORE_TABLES = new Set(tablesIn(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g).filter((t) => !DROPPED.has(t)));
/** SQLite's table-valued function the store reads id lists with. */
const SQL_FUNCTIONS = new Set(['json_each']);

/** What each query in `text` reads; 'interpolated' for an object named by a variable. */
const fromsIn = (text: string): string[] =>
  [...text.matchAll(SELECT_FROM)].map((m) => (m[1].startsWith('$') ? 'interpolated' : m[1]));

interface Found {
  file: string;
  from: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function queriesIn(files: string[]): Found[] {
  return files.flatMap((path) => {
    const file = relative(ROOT, path);
    return fromsIn(readFileSync(path, 'utf8')).map((from) => ({ file, from }));
  });
}

const all = queriesIn(sourceFiles(SRC));
const isSql = (q: Found) => STORE_TABLES.has(q.from) || SQL_FUNCTIONS.has(q.from);

describe('where queries live', () => {
  test('no SOQL outside src/lma/', () => {
    const misplaced = all.filter((q) => !q.file.startsWith('src/lma/') && !isSql(q));
    expect(misplaced).toEqual([]);
  });

  test('no SQL outside src/store/', () => {
    const misplaced = all.filter((q) => !q.file.startsWith('src/store/') && isSql(q));
    expect(misplaced).toEqual([]);
  });

  test('the scan sees the queries where they belong', () => {
    const soql = all.filter((q) => q.file.startsWith('src/lma/'));
    expect(new Set(soql.map((q) => q.file))).toEqual(new Set(['src/lma/queries.ts']));
    expect(new Set(soql.map((q) => q.from))).toEqual(
      new Set([
        'sfLma__License__c',
        'sfLma__License__History',
        'sfLma__Package__c',
        'sfLma__Package_Version__c',
        'Organization',
        'User',
        'interpolated',
      ]),
    );
    const sql = all.filter((q) => q.file.startsWith('src/store/'));
    // Every table is read but seen_events, which a claim only writes (the write decides; a lease's holder is read
    // only to replace one that died).
    const read = [...STORE_TABLES].filter((t) => t !== 'seen_events');
    expect(new Set(sql.map((q) => q.from))).toEqual(new Set([...read, ...SQL_FUNCTIONS]));
  });

  test('the scan catches a query split over a concatenation, and one on an object named by a variable', () => {
    const source = readFileSync(join(import.meta.dirname, 'soql-boundary.fixture.txt'), 'utf8');
    expect(fromsIn(source)).toEqual(['sfLma__License__c', 'interpolated']);
  });
});
