const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A baseline name: 1 to 64 letters, digits, dots, underscores or hyphens (`dev`, `staging-2026.11`). Names of
 * dots only (`.`, `..`) are refused: clients normalise them away in a URL path, so they could not be addressed.
 */
export function isValidBaselineName(candidate: string): boolean {
  return NAME_PATTERN.test(candidate) && !/^\.+$/.test(candidate);
}

export const BASELINE_NAME_RULE = '1 to 64 characters from A-Z a-z 0-9 . _ -, not only dots';
