import type { Portfolio } from '../domain/portfolio.js';

/** A master portfolio or a composite, resolved to the portfolios whose summaries it sums. */
export interface Group {
  readonly key: string;
  readonly kind: 'master' | 'composite';
  /**
   * Every portfolio of the key in the current list, whatever its status, sorted
   * by name: sums always run in this order, so they are reproducible to the bit.
   * Inactive portfolios are kept because a snapshot only exists for a time at
   * which its portfolio was active (the snapshot job only reads active ones).
   */
  readonly members: readonly string[];
  /** The members whose status is "active" now: the ones expected to keep reporting. */
  readonly active: ReadonlySet<string>;
}

/**
 * Resolves the current portfolio list into masters and composites (SPEC 13):
 * a master's members are the portfolios naming it in `master_portfolio`; a
 * composite contains every master one of whose members names the composite, and
 * its members are all the portfolios of those masters. A portfolio naming a
 * composite but no master contributes nothing. Throws when a composite has the
 * name of a master, since both are stored under the same key.
 */
export function resolveGroups(portfolios: readonly Portfolio[]): Map<string, Group> {
  const masters = new Map<string, Portfolio[]>();
  const compositeMasters = new Map<string, Set<string>>();
  for (const p of portfolios) {
    if (p.masterPortfolio === null) continue;
    listFor(masters, p.masterPortfolio).push(p);
    if (p.composite !== null) {
      const set = compositeMasters.get(p.composite) ?? new Set<string>();
      compositeMasters.set(p.composite, set.add(p.masterPortfolio));
    }
  }
  const groups = new Map<string, Group>();
  for (const [key, members] of masters) groups.set(key, group(key, 'master', members));
  for (const [key, masterNames] of compositeMasters) {
    if (masters.has(key)) {
      throw new Error(`"${key}" is both a master portfolio and a composite; rename one in DATA.portfolio so their marts stay apart`);
    }
    groups.set(key, group(key, 'composite', [...masterNames].flatMap((m) => masters.get(m) ?? [])));
  }
  return groups;
}

function group(key: string, kind: Group['kind'], members: readonly Portfolio[]): Group {
  return {
    key,
    kind,
    members: members.map((p) => p.portfolio).sort(),
    active: new Set(members.filter((p) => p.status === 'active').map((p) => p.portfolio)),
  };
}

function listFor<V>(map: Map<string, V[]>, key: string): V[] {
  const list = map.get(key) ?? [];
  map.set(key, list);
  return list;
}
