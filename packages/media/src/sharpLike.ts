import type { Sharp } from 'sharp';

/** True for a sharp pipeline (`sharp(input)`), recognised by its methods so two sharp copies both work. */
export function isSharp(value: unknown): value is Sharp {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Sharp>;
  return (
    typeof candidate.toBuffer === 'function' &&
    typeof candidate.clone === 'function' &&
    typeof candidate.metadata === 'function'
  );
}
