/**
 * Demo seeding: `npm start` on the embedded warehouse with no portfolios, and
 * `kairos demo seed`. It never touches a portfolio that exists.
 */
import type { Portfolio } from '../domain/portfolio.js';
import type { SimulatedOptions } from '../exchanges/index.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { DEMO_CREDENTIALS, demoPortfolios } from './demo-portfolios.js';

export interface SeedDemoOptions {
  /**
   * Seed even when the warehouse holds other portfolios (`kairos demo seed --force`).
   * Demo portfolios that already exist are still left as they are.
   * @default false
   */
  readonly force?: boolean;
  /** The instant the demo threshold is calibrated at. @default new Date() */
  readonly now?: Date;
  /** The simulator settings the snapshot job uses, so the threshold fits the values it will see. @default {} */
  readonly simulated?: SimulatedOptions;
}

export interface SeedDemoResult {
  /** Portfolios written, in the order they were written. */
  readonly created: Portfolio[];
  /** Why nothing was written, or null. */
  readonly skipped: 'portfolios_exist' | null;
}

export async function seedDemoPortfolios(warehouse: Warehouse, options: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  const existing = new Set((await warehouse.portfolios()).map((p) => p.portfolio));
  if (existing.size > 0 && !options.force) return { created: [], skipped: 'portfolios_exist' };
  const created: Portfolio[] = [];
  for (const portfolio of demoPortfolios(options.now ?? new Date(), options.simulated)) {
    if (existing.has(portfolio.portfolio)) continue;
    await warehouse.upsertPortfolio(portfolio, DEMO_CREDENTIALS);
    created.push(portfolio);
  }
  return { created, skipped: null };
}

/** `KAIROS_DEMO_SEED`. */
export type DemoSeedSetting = 'auto' | 'never';

/**
 * Whether start-up seeds (SPEC 2): only with `auto` and the embedded SQLite
 * warehouse, never into a configured MongoDB or PostgreSQL warehouse, where an
 * empty portfolio list is a fact about production, not a fresh install.
 */
export function demoSeedApplies(setting: DemoSeedSetting, warehouseKind: 'sqlite' | 'postgres' | 'mongodb'): boolean {
  return setting === 'auto' && warehouseKind === 'sqlite';
}
