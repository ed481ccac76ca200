/**
 * The results of pure work that repeats (formatting a date, a day's first instant in a zone), kept by key up to a
 * limit: past it they are all let go, which is cheaper than tracking which one is oldest and costs one recomputation.
 */
export class Recent<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string, compute: () => V): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = compute();
      if (this.values.size >= this.limit) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
