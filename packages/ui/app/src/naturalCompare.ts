// One collator for every sort: localeCompare with options builds a new collator on each call (slow for 1,000s).
const collator = new Intl.Collator(undefined, { numeric: true });

/** Compares strings as people read them ("run-9" before "run-10"). */
export const naturalCompare = (a: string, b: string): number => collator.compare(a, b);
