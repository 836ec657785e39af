import { randomBytes, randomInt } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 8 random characters from [a-z0-9], as wandb's run ids. */
export function generateRunId(length = 8): string {
  const bytes = randomBytes(length);
  let id = '';
  for (let i = 0; i < length; i++) id += ID_ALPHABET[bytes[i] % ID_ALPHABET.length];
  return id;
}

const ADJECTIVES = [
  'brisk',
  'calm',
  'daring',
  'eager',
  'fancy',
  'gentle',
  'hardy',
  'icy',
  'jolly',
  'keen',
  'lively',
  'misty',
  'noble',
  'olive',
  'proud',
  'quiet',
  'rapid',
  'silent',
  'tidy',
  'vivid',
  'wild',
  'young',
  'zesty',
  'amber',
  'bold',
  'crisp',
  'dusty',
  'easy',
  'fresh',
  'golden',
];
const NOUNS = [
  'river',
  'meadow',
  'forest',
  'comet',
  'harbor',
  'canyon',
  'glacier',
  'island',
  'lagoon',
  'mountain',
  'nebula',
  'ocean',
  'prairie',
  'quartz',
  'rain',
  'summit',
  'thunder',
  'valley',
  'willow',
  'breeze',
  'cedar',
  'dune',
  'ember',
  'fjord',
  'grove',
  'horizon',
  'lake',
  'moon',
  'pine',
  'star',
];

/** A readable run name like wandb's: "brisk-river-7". */
export function generateRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1, 100)}`;
}
