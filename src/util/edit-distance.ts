/** Levenshtein distance, case-insensitive: how many single-letter edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, i) => i);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[t.length];
}

/** The `limit` candidates nearest to `term`, nearest first (ties by name). */
export function closestMatches(term: string, candidates: string[], limit: number): string[] {
  return candidates
    .map((name) => ({ name, distance: editDistance(term, name.slice(0, Math.max(term.length, 1) + 2)) }))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((c) => c.name);
}
