/** The package filter, in both forms: `package:Name` / `package:"Two Words"`, or a known package name. */

export type PackageOption = { ok: true; rest: string; package?: string } | { ok: false; problem: string };

const PACKAGE_OPTION = /(^|\s)package:\s*(?:"([^"]*)"?|(\S*))/gi;

/**
 * Takes `package:…` out of the text. Quotes are straight here (callers straighten “ ”), and an
 * unclosed quote runs to the end. Two package options, or one without a name, are refused.
 */
export function extractPackageOption(text: string): PackageOption {
  const names: string[] = [];
  const rest = text.replace(PACKAGE_OPTION, (_whole, before: string, quoted?: string, bare?: string) => {
    names.push((quoted ?? bare ?? '').trim());
    return before;
  });
  if (names.length === 0) return { ok: true, rest: text };
  if (names.length > 1) return { ok: false, problem: 'Give one `package:` at most.' };
  if (names[0] === '')
    return { ok: false, problem: '`package:` needs a name, e.g. `package:Invoicer` or `package:"Two Words"`.' };
  return { ok: true, rest: rest.replace(/\s+/g, ' ').trim(), package: names[0] };
}

/** Shortest text read as part of a package name, so "a" or "in" never matches a package. */
const MIN_PARTIAL_LENGTH = 3;

/**
 * The package `term` names: the package itself when it equals one (case-insensitive), or is part of
 * exactly one name; otherwise undefined (no match, or several packages share that part).
 */
export function matchPackage(term: string, packages: readonly string[] | undefined): string | undefined {
  const wanted = term.trim().toLowerCase();
  if (!packages || wanted.length === 0) return undefined;
  const exact = packages.find((name) => name.toLowerCase() === wanted);
  if (exact) return exact;
  if (wanted.length < MIN_PARTIAL_LENGTH) return undefined;
  const partial = packages.filter((name) => name.toLowerCase().includes(wanted));
  return partial.length === 1 ? partial[0] : undefined;
}
