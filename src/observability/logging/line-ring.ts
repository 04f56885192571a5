/** The last `capacity` lines written, oldest first: a run's log tail, kept in O(1) per line. */
export class LineRing {
  private readonly lines: string[] = [];
  private next = 0;

  /** @param capacity a positive integer (checked by the caller, once, at start-up) */
  constructor(private readonly capacity: number) {}

  push(line: string): void {
    if (this.lines.length < this.capacity) this.lines.push(line);
    else this.lines[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
  }

  toArray(): string[] {
    if (this.lines.length < this.capacity) return [...this.lines];
    return [...this.lines.slice(this.next), ...this.lines.slice(0, this.next)];
  }
}
