/** A JSON value as runlog writes it (after NaN, Infinity, -0 and dates were encoded). */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}
