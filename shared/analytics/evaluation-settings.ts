import { INDICATORS, type IndicatorName } from './evaluation-indicators.js';

export type IndicatorWeights = Readonly<Record<IndicatorName, number>>;

/** every ratio weighs 1; counts, days and milliseconds are shown but not scored */
export const DEFAULT_WEIGHTS: IndicatorWeights = Object.fromEntries(INDICATORS.map((indicator) => [indicator.name, indicator.unit === 'ratio' ? 1 : 0])) as Record<IndicatorName, number>;

/**
 * Weights of the evaluation score (EVALUATION_WEIGHTS, e.g. `item-standardisation=2,availability=0.5`):
 * the named indicators get the weight, the others keep DEFAULT_WEIGHTS. An unknown name, a
 * negative or non-numeric weight, or a weight above 0 on an indicator that is not a ratio fails
 * the cold start.
 */
export function loadEvaluationWeights(env: NodeJS.ProcessEnv = process.env): IndicatorWeights {
  const weights: Record<IndicatorName, number> = { ...DEFAULT_WEIGHTS };
  for (const pair of (env.EVALUATION_WEIGHTS ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, text] = pair.split('=');
    const indicator = INDICATORS.find((candidate) => candidate.name === name);
    const weight = Number(text);
    if (!indicator || !/^\d+(\.\d+)?$/.test(text ?? '') || !Number.isFinite(weight)) {
      throw new Error(`configuration: EVALUATION_WEIGHTS holds ${pair}; write indicator=weight with a known indicator and a weight of 0 or more`);
    }
    if (weight > 0 && indicator.unit !== 'ratio') throw new Error(`configuration: EVALUATION_WEIGHTS gives ${name} a weight, but only ratios are scored`);
    weights[indicator.name] = weight;
  }
  return weights;
}
