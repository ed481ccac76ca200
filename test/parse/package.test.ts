import { describe, expect, test } from 'vitest';
import { extractPackageOption, matchPackage } from '../../src/parse/package.js';

describe('extractPackageOption', () => {
  test('text without the option comes back as typed, with no package', () => {
    expect(extractPackageOption('renewals   60 ')).toStrictEqual({ ok: true, rest: 'renewals   60 ' });
  });

  test('the option is taken out and the rest closed up to single spaces', () => {
    expect(extractPackageOption('renewals  package:Invoicer   60 ')).toStrictEqual({
      ok: true,
      rest: 'renewals 60',
      package: 'Invoicer',
    });
  });

  test('a quoted name keeps its inner words, without the spaces inside the quotes', () => {
    expect(extractPackageOption('trials package:" Two Words "')).toStrictEqual({
      ok: true,
      rest: 'trials',
      package: 'Two Words',
    });
  });
});

describe('matchPackage', () => {
  const PACKAGES = ['Invoicer', 'Invoicer Pro', 'Tracker'];

  test('a name equal to a package, any case and spacing, is that package even when it is part of another', () => {
    expect(matchPackage('  invoicer ', PACKAGES)).toBe('Invoicer');
  });

  test('a part of exactly one name, three letters or more, is that package', () => {
    expect(matchPackage('rac', PACKAGES)).toBe('Tracker');
    expect(matchPackage('PRO', PACKAGES)).toBe('Invoicer Pro');
  });

  test('a part shorter than three letters, or shared by two names, or of none, names no package', () => {
    expect(matchPackage('ra', PACKAGES)).toBeUndefined();
    expect(matchPackage('voic', PACKAGES)).toBeUndefined();
    expect(matchPackage('billing', PACKAGES)).toBeUndefined();
  });

  test('no text, or no known packages, names none', () => {
    expect(matchPackage('   ', PACKAGES)).toBeUndefined();
    expect(matchPackage('Tracker', undefined)).toBeUndefined();
  });
});
