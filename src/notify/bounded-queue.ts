/** A FIFO of fixed capacity over a ring buffer: push and shift are O(1), nothing is reallocated. */
export class BoundedQueue<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    }
    this.slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds all of `items` or, when they do not all fit, none of them. */
  pushAll(items: readonly T[]): boolean {
    if (this.count + items.length > this.capacity) return false;
    for (const item of items) {
      this.slots[(this.head + this.count) % this.capacity] = item;
      this.count++;
    }
    return true;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.slots[this.head];
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined; // let it be collected
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return item;
  }

  /** Empties the queue; returns how many items were discarded. */
  clear(): number {
    const discarded = this.count;
    while (this.count > 0) this.shift();
    return discarded;
  }
}
