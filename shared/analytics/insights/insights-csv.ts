import type { Insights } from './compute-insights.js';

/**
 * The CSV export of the insights: one flat, long layout for every section, one figure a line:
 *
 *   section,dimension,key,subkey,measure,value,suppressed
 *
 * - section: hotspots | seasonal | bottlenecks | spatial | anomalies | business-environment
 * - dimension: what the key is (region-item, month, weekday, state, region, agency,
 *   establishment, opening-a-business, certificate-reuse)
 * - key / subkey: e.g. region and item code; month; state; region code and its name; group and bucket
 * - measure: the figure's name (cases, share, median-hours, refusal-rate, volume, volume-baseline, ...)
 * - value: a number, empty when suppressed or undefined (no decided cases for a rate)
 * - suppressed: true when the figure is drawn from 1–4 people
 *
 * Encoding (RFC 4180): UTF-8 with a byte-order mark (so spreadsheet software reads Chinese names
 * right), CRLF line ends, a cell quoted when it holds a comma, a quote or a line break, quotes
 * doubled. Text cells starting with = + - @ (or a tab or carriage return) get a leading apostrophe,
 * so no spreadsheet runs them as formulas; numbers are written as numbers.
 */
export const CSV_HEADER = ['section', 'dimension', 'key', 'subkey', 'measure', 'value', 'suppressed'] as const;

type Cell = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** one CSV cell: injection-guarded when text, quoted when needed */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

interface FigureRow {
  readonly section: string;
  readonly dimension: string;
  readonly key: string;
  readonly subkey: string;
  readonly figures: Readonly<Record<string, number | null>>;
  readonly suppressed: boolean;
}

/** the figure rows of every section present in the insights */
function figureRows(insights: Insights): FigureRow[] {
  const rows: FigureRow[] = [];
  for (const spot of insights.hotspots ?? []) {
    rows.push({ section: 'hotspots', dimension: 'region-item', key: spot.region, subkey: spot.itemCode, figures: { cases: spot.cases, share: spot.share }, suppressed: spot.suppressed });
  }
  for (const [dimension, list] of [['month', insights.seasonal?.months ?? []], ['weekday', insights.seasonal?.weekdays ?? []]] as const) {
    for (const row of list) rows.push({ section: 'seasonal', dimension, key: row.bucket, subkey: '', figures: { cases: row.cases, share: row.share }, suppressed: row.suppressed });
  }
  for (const row of insights.bottlenecks ?? []) {
    rows.push({
      section: 'bottlenecks',
      dimension: 'state',
      key: row.state,
      subkey: '',
      figures: { stays: row.stays, 'median-hours': row.medianHours, 'mean-hours': row.meanHours, 'p90-hours': row.p90Hours },
      suppressed: row.suppressed,
    });
  }
  for (const row of insights.spatial ?? []) {
    rows.push({ section: 'spatial', dimension: `region-${row.level}`, key: row.region, subkey: row.name, figures: { cases: row.cases, share: row.share, 'refusal-rate': row.refusalRate }, suppressed: row.suppressed });
  }
  for (const row of insights.anomalies ?? []) {
    rows.push({
      section: 'anomalies',
      dimension: row.dimension,
      key: row.key,
      subkey: row.bucket,
      figures: { [row.measure]: row.value, [`${row.measure}-baseline`]: row.baseline, [`${row.measure}-score`]: row.score },
      suppressed: row.suppressed,
    });
  }
  const environment = insights.businessEnvironment;
  for (const row of environment?.establishment ?? []) {
    rows.push({ section: 'business-environment', dimension: 'establishment', key: row.region, subkey: '', figures: { approved: row.approved, 'median-days': row.medianDays, 'mean-days': row.meanDays }, suppressed: row.suppressed });
  }
  for (const row of environment?.openingABusiness ?? []) {
    rows.push({
      section: 'business-environment',
      dimension: 'opening-a-business',
      key: row.region,
      subkey: '',
      figures: { journeys: row.journeys, completed: row.completed, 'mean-steps': row.meanSteps, 'median-days': row.medianDays, 'mean-days': row.meanDays },
      suppressed: row.suppressed,
    });
  }
  for (const row of environment?.certificateReuse ?? []) {
    rows.push({
      section: 'business-environment',
      dimension: 'certificate-reuse',
      key: row.region,
      subkey: '',
      figures: { issued: row.issued, uses: row.uses, 'uses-per-certificate': row.usesPerCertificate },
      suppressed: row.suppressed,
    });
  }
  return rows;
}

/** the insights as CSV text (see the layout above) */
export function insightsCsv(insights: Insights): string {
  const lines = [CSV_HEADER.join(',')];
  for (const row of figureRows(insights)) {
    for (const [measure, value] of Object.entries(row.figures)) {
      lines.push([row.section, row.dimension, row.key, row.subkey, measure, value, row.suppressed].map(csvCell).join(','));
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
