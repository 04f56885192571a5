/**
 * The simulated market: prices that are a pure function of (seed, time), so
 * any instant can be computed without state or replay. Each log-price is a
 * sum of value-noise octaves (one hour to one month); amplitudes grow with the
 * square root of the period like a random walk's spread, so charts look like
 * a walk at every zoom level while evaluation costs a few hashes.
 */

/** Deterministic hash of the parts to a number in [0, 1). FNV-1a with a murmur3 finaliser. */
export function hash01(...parts: ReadonlyArray<string | number>): number {
  let h = 0x811c9dc5;
  const text = parts.join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Octave period and log-amplitude for a volatility of 1 (about Bitcoin's). */
const OCTAVES: ReadonlyArray<readonly [periodMs: number, amplitude: number]> = [
  [HOUR_MS, 0.004],
  [6 * HOUR_MS, 0.01],
  [DAY_MS, 0.02],
  [7 * DAY_MS, 0.05],
  [30 * DAY_MS, 0.1],
];

export interface SimulatedAsset {
  readonly asset: string;
  /** Price around which the walk moves, USD. */
  readonly basePrice: number;
  /** Multiplies every octave's amplitude; 0 for stable coins. */
  readonly volatility: number;
}

export const SIMULATED_ASSETS: readonly SimulatedAsset[] = [
  { asset: 'BTC', basePrice: 60_000, volatility: 1 },
  { asset: 'ETH', basePrice: 3_000, volatility: 1.2 },
  { asset: 'SOL', basePrice: 150, volatility: 1.6 },
  { asset: 'USDT', basePrice: 1, volatility: 0 },
];

/** Smooth noise in [-1, 1] with a new random value every `periodMs`, cosine-interpolated between them. */
function valueNoise(seed: string, key: string, periodMs: number, timeMs: number): number {
  const x = timeMs / periodMs;
  const i = Math.floor(x);
  const a = hash01(seed, key, periodMs, i) * 2 - 1;
  const b = hash01(seed, key, periodMs, i + 1) * 2 - 1;
  const w = (1 - Math.cos((x - i) * Math.PI)) / 2;
  return a + (b - a) * w;
}

/** The asset's USD price at `time` in the market named by `seed`. */
export function simulatedPrice(seed: string, asset: SimulatedAsset, time: Date): number {
  if (asset.volatility === 0) return asset.basePrice;
  let logOffset = 0;
  for (const [period, amplitude] of OCTAVES) {
    logOffset += amplitude * asset.volatility * valueNoise(seed, asset.asset, period, time.getTime());
  }
  return asset.basePrice * Math.exp(logOffset);
}
