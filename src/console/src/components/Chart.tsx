/** A small SVG chart over time buckets: stacked bars or lines, with a y scale, first/last labels and tooltips. */

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

export interface ChartPoint {
  label: string;
  values: Record<string, number | null | undefined>;
}

const width = 640;
const height = 180;
const pad = { top: 10, right: 10, bottom: 24, left: 48 };

export function TimeChart({ title, points, series, mode, format }: { title: string; points: ChartPoint[]; series: ChartSeries[]; mode: "bars" | "lines"; format: (value: number) => string }) {
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const totals = points.map((p) => (mode === "bars" ? series.reduce((sum, s) => sum + (p.values[s.key] ?? 0), 0) : Math.max(0, ...series.map((s) => p.values[s.key] ?? 0))));
  const max = Math.max(0, ...totals) || 1;
  const step = points.length > 0 ? plotW / points.length : plotW;
  const y = (value: number) => pad.top + plotH - (value / max) * plotH;

  return (
    <figure className="chart" data-chart={title}>
      <figcaption>
        {title}
        <span className="legend">
          {series.map((s) => (
            <span key={s.key}>
              <span className="swatch" style={{ background: s.color }} /> {s.label}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={pad.left} x2={width - pad.right} y1={y(max * f)} y2={y(max * f)} className="grid" />
            <text x={pad.left - 6} y={y(max * f) + 4} textAnchor="end" className="axis">
              {format(max * f)}
            </text>
          </g>
        ))}
        {mode === "bars" &&
          points.map((point, i) => {
            let base = 0;
            return (
              <g key={i}>
                <title>{`${point.label}: ${series.map((s) => `${s.label} ${format(point.values[s.key] ?? 0)}`).join(", ")}`}</title>
                {series.map((s) => {
                  const value = point.values[s.key] ?? 0;
                  if (value <= 0) return null;
                  const top = y(base + value);
                  const rect = <rect key={s.key} x={pad.left + i * step + step * 0.15} width={Math.max(1, step * 0.7)} y={top} height={Math.max(0, y(base) - top)} fill={s.color} />;
                  base += value;
                  return rect;
                })}
              </g>
            );
          })}
        {mode === "lines" &&
          series.map((s) => {
            const path = points
              .map((point, i) => ({ i, v: point.values[s.key] }))
              .filter((p): p is { i: number; v: number } => typeof p.v === "number")
              .map((p, k) => `${k === 0 ? "M" : "L"}${pad.left + p.i * step + step / 2},${y(p.v)}`)
              .join(" ");
            // Dots as well as the line: a range with one bucket of data still shows its point.
            return (
              <g key={s.key}>
                <path d={path} fill="none" stroke={s.color} strokeWidth={2} vectorEffect="non-scaling-stroke" />
                {points.map((point, i) =>
                  typeof point.values[s.key] === "number" ? (
                    <circle key={i} cx={pad.left + i * step + step / 2} cy={y(point.values[s.key] as number)} r={3} fill={s.color}>
                      <title>{`${point.label}: ${s.label} ${format(point.values[s.key] as number)}`}</title>
                    </circle>
                  ) : null,
                )}
              </g>
            );
          })}
        {points.length > 0 && (
          <>
            <text x={pad.left} y={height - 6} className="axis">
              {points[0].label}
            </text>
            <text x={width - pad.right} y={height - 6} textAnchor="end" className="axis">
              {points[points.length - 1].label}
            </text>
          </>
        )}
      </svg>
    </figure>
  );
}
