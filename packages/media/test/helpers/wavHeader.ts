import { readFileSync } from 'node:fs';

/** The fields of a canonical PCM WAV header, read back from the file. */
export function readWavHeader(path: string) {
  const b = readFileSync(path);
  return {
    riff: b.toString('latin1', 0, 4),
    riffSize: b.readUInt32LE(4),
    wave: b.toString('latin1', 8, 12),
    fmt: b.toString('latin1', 12, 16),
    audioFormat: b.readUInt16LE(20),
    channels: b.readUInt16LE(22),
    sampleRate: b.readUInt32LE(24),
    byteRate: b.readUInt32LE(28),
    blockAlign: b.readUInt16LE(32),
    bitsPerSample: b.readUInt16LE(34),
    data: b.toString('latin1', 36, 40),
    dataSize: b.readUInt32LE(40),
    fileSize: b.length,
    sample: (i: number) => b.readInt16LE(44 + 2 * i),
  };
}
