export const SATURATION_LEVELS = ['ok', 'warn', 'critical'] as const;
export type SaturationLevel = (typeof SATURATION_LEVELS)[number];

/** Ratios as fractions (0.8 = 80 %). */
export interface SaturationThresholds {
  readonly warn: number;
  readonly critical: number;
  /** How far below a threshold the ratio must fall before its level is left (0.05 = 5 points). */
  readonly hysteresis: number;
}

export const DEFAULT_SATURATION_THRESHOLDS: SaturationThresholds = {
  warn: 0.8,
  critical: 0.95,
  hysteresis: 0.05,
};

const RANK: Readonly<Record<SaturationLevel, number>> = { ok: 0, warn: 1, critical: 2 };

export function levelRank(level: SaturationLevel): number {
  return RANK[level];
}

/**
 * The level of a usage series after seeing `ratio`. A level is entered when the ratio reaches its threshold
 * and left only when the ratio falls below threshold − hysteresis, so a value hovering at a threshold does not
 * flap. Idempotent: the same ratio twice gives the same level, so evaluating only the samples that changed
 * (usage series are stored change-only) is enough.
 */
export function nextSaturationLevel(
  previous: SaturationLevel,
  ratio: number,
  thresholds: SaturationThresholds,
): SaturationLevel {
  const reached: SaturationLevel =
    ratio >= thresholds.critical ? 'critical' : ratio >= thresholds.warn ? 'warn' : 'ok';
  if (RANK[reached] >= RANK[previous]) return reached;
  if (previous === 'critical' && ratio >= thresholds.critical - thresholds.hysteresis) return 'critical';
  if (ratio >= thresholds.warn - thresholds.hysteresis) return 'warn';
  return 'ok';
}
