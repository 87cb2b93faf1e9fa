/**
 * Bad input: which option (or file and field), what was expected, what was given. Exit status 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
