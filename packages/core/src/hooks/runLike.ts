/** The part of a Run that hooks see; kept minimal so hooks do not depend on the Run class. */
export interface RunLike {
  readonly id: string;
  readonly project: string;
  log(data: Record<string, unknown>, options?: { step?: number; commit?: boolean }): void;
}
