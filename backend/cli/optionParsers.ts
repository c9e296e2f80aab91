// Typed option parsers: a bad number on the command line is a usage error (exit 2), never NaN in a run.
import { InvalidArgumentError } from 'commander';

function number(check: (value: number) => boolean, expected: string): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || !check(value)) throw new InvalidArgumentError(`expected ${expected}, got "${raw}"`);
    return value;
  };
}

export const positiveNumber = number((value) => value > 0, 'a number > 0');
export const nonNegativeNumber = number((value) => value >= 0, 'a number >= 0');
export const nonNegativeInt = number((value) => Number.isInteger(value) && value >= 0, 'a whole number >= 0');
export const positiveInt = number((value) => Number.isInteger(value) && value > 0, 'a whole number > 0');
export const port = number((value) => Number.isInteger(value) && value >= 0 && value <= 65_535, 'a port 0–65535');
export const fraction = number((value) => value >= 0 && value <= 1, 'a fraction between 0 and 1');

export function list(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
