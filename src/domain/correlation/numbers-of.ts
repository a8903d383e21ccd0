/**
 * The whitespace-separated numbers of a value ("65536", "32768\t60999"), or null when it is empty or any
 * part is not a number. A report scores every change in its window, so the one-number case costs no regex.
 */
export function numbersOf(value: string): number[] | null {
  const single = Number(value);
  if (!Number.isNaN(single)) return value.trim() === '' ? null : [single];
  const numbers = value.trim().split(/\s+/).map(Number);
  return numbers.some(Number.isNaN) ? null : numbers;
}
