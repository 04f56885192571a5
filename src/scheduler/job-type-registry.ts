import type { JobType } from './job-type.js';

/** Job types by name; user modules are registered under their `./path.js:export` reference. */
export class JobTypeRegistry {
  private readonly types = new Map<string, JobType>();

  register(type: JobType, name = type.name): this {
    if (this.types.has(name)) throw new Error(`job type '${name}' is registered twice`);
    this.types.set(name, type);
    return this;
  }

  get(name: string): JobType | undefined {
    return this.types.get(name);
  }

  has(name: string): boolean {
    return this.types.has(name);
  }

  names(): string[] {
    return [...this.types.keys()].filter((n) => !n.startsWith('.') && !n.startsWith('/')).sort();
  }

  all(): JobType[] {
    return [...this.types.values()];
  }
}
