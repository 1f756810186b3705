/**
 * Leaf index ↔ global position. The SQLite store numbers its log 1, 2, 3…; KurrentDB's log
 * positions are sparse. Leaves are the log in order either way, so the positions are kept in
 * a growing Float64Array (8 bytes a leaf) and looked up by binary search.
 */
export class LeafPositions {
  private positions = new Float64Array(1 << 16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The position of the last leaf (0 when empty). */
  get last(): number {
    return this.count === 0 ? 0 : this.positions[this.count - 1];
  }

  push(position: number): void {
    if (position <= this.last) throw new RangeError(`position ${position} does not follow ${this.last}`);
    if (this.count === this.positions.length) {
      const grown = new Float64Array(this.positions.length * 2);
      grown.set(this.positions);
      this.positions = grown;
    }
    this.positions[this.count++] = position;
  }

  positionOf(leafIndex: number): number | undefined {
    return leafIndex >= 0 && leafIndex < this.count ? this.positions[leafIndex] : undefined;
  }

  /** The leaf index of a global position, or undefined when no leaf has it. */
  indexOf(position: number): number | undefined {
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.positions[mid];
      if (value === position) return mid;
      if (value < position) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  /** Leaves 0..n-1 at positions 1..n (a saved tree of a store that numbers its log densely). */
  static dense(n: number): LeafPositions {
    const index = new LeafPositions();
    for (let i = 1; i <= n; i++) index.push(i);
    return index;
  }
}
