import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 8 random [a-z0-9], like wandb's sweep and run ids. */
export function randomId(): string {
  const bytes = randomBytes(8);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

/** A seed for random and bayes search when the config gives none. */
export function randomSeed(): number {
  return randomBytes(4).readUInt32LE(0);
}
