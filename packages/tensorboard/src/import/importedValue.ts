import { Histogram, Image, Text } from '@runlog/media';
import { decodeLegacyImage, type SummaryValueView } from '../proto/eventDecoder.js';
import { DTYPE, PLUGIN } from '../proto/fieldNumbers.js';
import { readHistogramProto } from '../proto/histogramProto.js';
import { decodeHparamsPluginData, type HparamsPluginData } from '../proto/hparamsProto.js';
import { ProtoReader } from '../proto/protoReader.js';
import { type DecodedTensor, expandFill, readTensorProto } from '../proto/tensorProto.js';
import { type Bins, binsFromBucketRows, binsFromHistogramProto } from './histogramBuckets.js';

/** The plugin a tag belongs to: from the first metadata TensorBoard saw for it (as TensorBoard keeps it). */
export interface TagPlugin {
  name: string;
  content: Uint8Array | undefined;
}

/** What one Summary.Value becomes in runlog. */
export type ImportedValue =
  | { kind: 'scalar'; value: number }
  | { kind: 'histogram'; value: Histogram; merged: boolean }
  | { kind: 'image'; value: Image | Image[] }
  | { kind: 'text'; value: Text }
  | { kind: 'hparams'; data: HparamsPluginData }
  | { kind: 'skip'; reason: string };

const textDecoder = new TextDecoder();

function histogram(bins: Bins | undefined): ImportedValue {
  if (!bins) return { kind: 'skip', reason: 'empty histogram' };
  return { kind: 'histogram', value: Histogram.fromCounts(bins.counts, bins.edges), merged: bins.merged };
}

function tensorOf(value: SummaryValueView): DecodedTensor {
  const payload = value.payload as Uint8Array;
  return readTensorProto(new ProtoReader(payload));
}

function images(encoded: Uint8Array[]): ImportedValue {
  const list = encoded.filter((bytes) => bytes.length > 0).map((bytes) => new Image(bytes));
  if (list.length === 0) return { kind: 'skip', reason: 'empty image' };
  return { kind: 'image', value: list.length === 1 ? list[0] : list };
}

/**
 * Converts a Summary.Value the way TensorBoard interprets it: legacy fields by their kind (simple_value, histo,
 * image), tensors by their tag's plugin (scalars, histograms, images, text, hparams). Values of other plugins
 * (audio, pr_curves, mesh, graphs...) are skipped and named in the reason, so the caller can count them.
 * Throws for malformed payloads (the caller counts the value as damaged).
 */
export function importedValue(value: SummaryValueView, plugin: TagPlugin | undefined): ImportedValue {
  switch (value.kind) {
    case 'simple':
      return { kind: 'scalar', value: value.simpleValue };
    case 'histo':
      return histogram(binsFromHistogramProto(readHistogramProto(new ProtoReader(value.payload as Uint8Array))));
    case 'image':
      return images([decodeLegacyImage(value.payload as Uint8Array).encoded]);
    case 'audio':
      return { kind: 'skip', reason: 'audio' };
    case 'none':
      if (plugin?.name === PLUGIN.hparams && value.pluginContent)
        return { kind: 'hparams', data: decodeHparamsPluginData(value.pluginContent) };
      return { kind: 'skip', reason: plugin?.name || 'empty value' };
    case 'tensor':
      break;
  }
  const name = plugin?.name ?? '';
  switch (name) {
    case PLUGIN.scalars: {
      const tensor = tensorOf(value);
      if (tensor.numbers.length === 0) return { kind: 'skip', reason: 'scalars (not a number)' };
      return { kind: 'scalar', value: tensor.numbers[0] };
    }
    case PLUGIN.histograms: {
      const tensor = tensorOf(value);
      const rows = tensor.shape.length === 2 && tensor.shape[1] === 3 ? tensor.shape[0] : 0;
      return histogram(binsFromBucketRows(expandFill(tensor), rows));
    }
    case PLUGIN.images: {
      const tensor = tensorOf(value);
      return images(tensor.strings.slice(2)); // [width, height, image...]
    }
    case PLUGIN.text: {
      const tensor = tensorOf(value);
      if (tensor.dtype !== DTYPE.string || tensor.strings.length === 0) return { kind: 'skip', reason: 'text' };
      const texts = tensor.strings.map((bytes) => textDecoder.decode(bytes));
      return { kind: 'text', value: new Text(texts.join('\n')) };
    }
    case PLUGIN.hparams:
      return value.pluginContent
        ? { kind: 'hparams', data: decodeHparamsPluginData(value.pluginContent) }
        : { kind: 'skip', reason: 'hparams' };
    default:
      return { kind: 'skip', reason: name || 'tensor without a plugin' };
  }
}
