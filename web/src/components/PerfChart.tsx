import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmtNumber, fmtPercent, fmtTime, fmtUsd } from '../format.js';
import type { PerformancePoint } from '../types.js';

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly value: (p: PerformancePoint) => number;
  /** Which y axis: left (`y`) or right (`y2`). */
  readonly scale: 'y' | 'y2';
  readonly format: (v: number, decimals?: number) => string;
  readonly fill?: string;
  /** Keeps a flat series readable (uPlot would otherwise stretch 0..0 over a huge span). */
  readonly range?: (min: number, max: number) => [number, number];
}

/** Tick labels with as many decimals as the tick spacing needs. */
const decimalsFor = (increment: number): number => Math.min(6, Math.max(0, -Math.floor(Math.log10(increment))));

/** One uPlot chart over the points, sized to its container (and resized with it). */
export function PerfChart({ points, series, title, zone }: { points: readonly PerformancePoint[]; series: readonly ChartSeries[]; title: string; zone: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: uPlot.AlignedData = [points.map((p) => Date.parse(p.t) / 1000), ...series.map((s) => points.map(s.value))];
    const scales = [...new Set(series.map((s) => s.scale))];
    const axisFor = (scale: 'y' | 'y2'): uPlot.Axis => {
      const first = series.find((s) => s.scale === scale)!;
      return {
        scale,
        side: scale === 'y' ? 3 : 1,
        size: 104,
        stroke: '#334155',
        grid: { show: scale === 'y', stroke: '#e2e8f0' },
        values: (_u, ticks, _axis, _space, increment) => ticks.map((t) => first.format(t, decimalsFor(increment))),
      };
    };
    const chart = new uPlot(
      {
        width: el.clientWidth,
        height: 240,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone),
        scales: {
          x: { time: true },
          ...Object.fromEntries(series.filter((s) => s.range).map((s) => [s.scale, { range: (_u: uPlot, min: number, max: number) => s.range!(min, max) }])),
        },
        axes: [{ stroke: '#334155', grid: { stroke: '#e2e8f0' } }, ...scales.map(axisFor)],
        series: [
          { value: (_u, v) => (v === null ? '—' : fmtTime(new Date(v * 1000).toISOString(), zone)) },
          ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, scale: s.scale, fill: s.fill, value: (_u: uPlot, v: number | null) => (v === null ? '—' : s.format(v)) })),
        ],
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [points, series, zone]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} class="chart-box" role="img" aria-label={`${title}: ${points.length} points`} data-points={points.length} />
    </figure>
  );
}

export const VALUE_SERIES: readonly ChartSeries[] = [
  { label: 'Value (USD)', color: '#1d4ed8', value: (p) => p.total_usd_value, scale: 'y', format: (v, d) => (d === undefined ? fmtUsd(v) : `$${fmtNumber(v, d)}`) },
  { label: 'NAV', color: '#b45309', value: (p) => p.nav, scale: 'y2', format: (v, d = 4) => fmtNumber(v, d) },
];

export const DRAWDOWN_SERIES: readonly ChartSeries[] = [
  {
    label: 'Drawdown',
    color: '#b91c1c',
    fill: 'rgba(185, 28, 28, 0.15)',
    value: (p) => p.cd,
    scale: 'y',
    format: (v, d) => fmtPercent(v, d === undefined ? 2 : Math.max(0, d - 2)),
    // Drawdowns are <= 0: the axis always ends at 0 and shows at least 1%.
    range: (min) => [Math.min(min * 1.1, -0.01), 0],
  },
  { label: 'Max drawdown', color: '#6b21a8', value: (p) => p.mdd, scale: 'y', format: (v, d) => fmtPercent(v, d === undefined ? 2 : Math.max(0, d - 2)) },
];
