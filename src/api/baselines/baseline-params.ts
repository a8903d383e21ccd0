import { BadParameterError } from '../../common/api-errors.js';
import { BASELINE_NAME_RULE, isValidBaselineName } from '../../domain/baselines/baseline-name.js';

/** A baseline name from the query or the path; 400 naming the parameter when absent or malformed. */
export function baselineNameParam(parameter: string, raw: string | undefined): string {
  if (raw === undefined || raw === '')
    throw new BadParameterError(parameter, `required: ${BASELINE_NAME_RULE}`);
  if (!isValidBaselineName(raw)) {
    throw new BadParameterError(
      parameter,
      `'${raw.slice(0, 80)}' is not a baseline name (${BASELINE_NAME_RULE})`,
    );
  }
  return raw;
}
