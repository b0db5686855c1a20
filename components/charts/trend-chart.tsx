/** The score across scans as a hand-drawn SVG line (no chart library), with a text equivalent. */
import { dateTime, shortDate, timeOfDay } from "@/lib/views/format";

export interface TrendPointView {
  scanId: string;
  at: string;
  score: number | null;
}

const W = 640;
const H = 200;
const PAD = { left: 36, right: 12, top: 12, bottom: 26 };

export function TrendChart({ points, label = "Tenant score by scan" }: { points: TrendPointView[]; label?: string }) {
  const scored = points.filter((p) => p.score !== null);
  if (points.length === 0) return <p className="text-sm text-slate-600">No finished scans yet.</p>;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (s: number) => PAD.top + innerH - (s / 100) * innerH;
  // Break the line at scans with nothing to judge (null score).
  const segments: string[] = [];
  let current = "";
  points.forEach((p, i) => {
    if (p.score === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${x(i).toFixed(1)},${y(p.score).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const firstScore = scored[0]?.score;
  const lastScore = scored[scored.length - 1]?.score;
  const summary =
    scored.length === 0
      ? "No scan had anything to judge."
      : scored.length === 1
        ? `One scored scan: ${lastScore}.`
        : `Score went from ${firstScore} to ${lastScore} over ${points.length} scans.`;
  const area =
    segments.length === 1 && scored.length === points.length && points.length > 1
      ? `${segments[0]}L${x(points.length - 1).toFixed(1)},${y(0)}L${x(0).toFixed(1)},${y(0)}Z`
      : null;
  const tickEvery = Math.max(1, Math.ceil(points.length / 6));
  const span = points.length > 1 ? Date.parse(points[points.length - 1].at) - Date.parse(points[0].at) : 0;
  const tick = (iso: string) => (span < 10 * 60_000 ? timeOfDay(iso, true) : span < 2 * 86_400_000 ? timeOfDay(iso) : shortDate(iso));
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`${label}. ${summary}`}>
        {[0, 25, 50, 75, 100].map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="stroke-slate-200" strokeDasharray={t === 0 ? undefined : "3 4"} />
            <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end" className="fill-slate-500 text-[11px]">
              {t}
            </text>
          </g>
        ))}
        {area ? <path d={area} className="fill-blue-600/10" /> : null}
        {segments.map((d, i) => (
          <path key={i} d={d} fill="none" className="stroke-blue-700" strokeWidth={2} strokeLinejoin="round" />
        ))}
        {points.map((p, i) =>
          p.score === null ? (
            <g key={p.scanId}>
              <circle cx={x(i)} cy={y(0)} r={3.5} className="fill-white stroke-slate-400" strokeWidth={1.5}>
                <title>{`${dateTime(p.at)}: nothing to judge`}</title>
              </circle>
            </g>
          ) : (
            <circle key={p.scanId} cx={x(i)} cy={y(p.score)} r={3.5} className="fill-white stroke-blue-700" strokeWidth={2}>
              <title>{`${dateTime(p.at)}: score ${p.score}`}</title>
            </circle>
          ),
        )}
        {points.map((p, i) =>
          i % tickEvery === 0 || i === points.length - 1 ? (
            <text
              key={`t${p.scanId}`}
              x={x(i)}
              y={H - 8}
              textAnchor={points.length === 1 ? "middle" : i === 0 ? "start" : i === points.length - 1 ? "end" : "middle"}
              className="fill-slate-500 text-[11px]"
            >
              {tick(p.at)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption className="mt-2 text-xs text-slate-600">{summary}</figcaption>
    </figure>
  );
}
