import { encodeJson } from '../values/jsonCodec.js';
import type { ColumnProfile } from './historyColumns.js';

export type ParquetBasicType = 'INT64' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'TIMESTAMP' | 'JSON';

/** The Parquet type for a column: integers INT64, numbers DOUBLE (NaN and ±Infinity kept), else JSON. */
export function parquetTypeOf(profile: ColumnProfile): ParquetBasicType {
  const { integers, numbers, booleans, strings, dates, others } = profile;
  const kinds = [integers || numbers, booleans, strings, dates, others].filter(Boolean).length;
  if (kinds !== 1) return 'JSON';
  if (integers && !numbers) return 'INT64';
  if (numbers || integers) return 'DOUBLE';
  if (booleans) return 'BOOLEAN';
  if (strings) return 'STRING';
  if (dates) return 'TIMESTAMP';
  return 'JSON';
}

/** A value as the column type stores it: bigint for INT64, and JSON columns keep runlog's encoding of NaN etc. */
export function toParquetValue(type: ParquetBasicType, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'INT64':
      return BigInt(value as number);
    case 'JSON':
      return JSON.parse(encodeJson(value));
    default:
      return value;
  }
}
