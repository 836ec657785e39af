/**
 * A 16-bit PCM WAV file (RIFF/WAVE, `fmt ` and `data` chunks) from interleaved samples. Int16 samples are kept;
 * floats in [-1, 1] are scaled by 32767 and rounded (values outside are clipped).
 */
export function encodeWav(
  samples: Int16Array | Float32Array | Float64Array,
  sampleRate: number,
  channels: number,
): Uint8Array {
  const dataBytes = samples.length * 2;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true); // byte rate
  view.setUint16(32, channels * 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  if (samples instanceof Int16Array) {
    for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i], true);
  } else {
    for (let i = 0; i < samples.length; i++) {
      const clipped = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(44 + i * 2, Math.round(clipped * 32767), true);
    }
  }
  return bytes;
}
