import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanRecords } from '../src/format/recordReader.js';
import { decodeEvent } from '../src/proto/eventDecoder.js';
import { EventEncoder } from '../src/proto/eventEncoder.js';
import { runPythonJson } from './helpers/pythonTensorboard.js';
import { type TensorboardRunView, tempDir } from './helpers/store.js';

const GOLDEN = fileURLToPath(new URL('./fixtures/runlog-writer.tfevents', import.meta.url));
const IMAGE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const EDGES = [-1, -0.25, 0.5, 1.25, 2];
const logdir = tempDir('runlog-tb-golden-');

/** A fixed sequence of events through every kind the encoder writes. */
function encodeGolden(): Uint8Array {
  const encoder = new EventEncoder();
  encoder.fileVersion(1700000000);
  encoder.sessionStart(1700000000, {
    hparams: { lr: 0.001, optimizer: 'adam', nesterov: false },
    groupName: 'golden',
    startTimeSecs: 1700000000,
  });
  for (let step = 0; step < 3; step++) {
    encoder.beginEvent(1700000000 + step, step);
    encoder.scalar('loss', 1 / 3 ** step);
    encoder.simpleValue('legacy/acc', step / 4);
    encoder.histogram('weights', EDGES, [step, 1, 2, 3]);
    encoder.text('note', `step ${step} ✓`);
    encoder.endEvent();
  }
  encoder.beginEvent(1700000003, 2 ** 40);
  encoder.images('sample', 1, 1, [IMAGE, IMAGE]);
  encoder.endEvent();
  encoder.sessionEnd(1700000004, { status: 1, endTimeSecs: 1700000004 });
  return encoder.out.toBytes();
}

describe('the event writer against its golden file (test/fixtures/runlog-writer.tfevents)', () => {
  it('writes exactly the golden bytes (no Python needed)', () => {
    const bytes = encodeGolden();
    if (!existsSync(GOLDEN) || process.env.RUNLOG_UPDATE_GOLDEN) writeFileSync(GOLDEN, bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      createHash('sha256').update(readFileSync(GOLDEN)).digest('hex'),
    );
  });

  it('reads its own events back', () => {
    const bytes = readFileSync(GOLDEN);
    const events: ReturnType<typeof decodeEvent>[] = [];
    const scan = scanRecords(bytes, 0, bytes.length, (start, end) => events.push(decodeEvent(bytes, start, end)));
    expect(scan).toMatchObject({ records: 7, badDataCrc: 0, skippedBytes: 0, truncated: false, end: bytes.length });
    expect(events[0].fileVersion).toBe('brain.Event:2');
    expect(events[2].values.map((v) => [v.tag, v.kind, v.pluginName])).toEqual([
      ['loss', 'tensor', 'scalars'],
      ['legacy/acc', 'simple', ''],
      ['weights', 'histo', ''],
      ['note', 'tensor', 'text'],
    ]);
    expect(events[3].values[0].pluginName).toBe(''); // metadata only with a tag's first value in the file
    expect(events[5].step).toBe(2 ** 40);
  });

  it("is what TensorBoard's own reader sees", () => {
    mkdirSync(join(logdir, 'golden'));
    writeFileSync(join(logdir, 'golden', 'events.out.tfevents.1700000000.golden'), readFileSync(GOLDEN));
    const tb = runPythonJson<{ runs: Record<string, TensorboardRunView> }>('read_logdir.py', [logdir]).runs.golden;
    expect(tb.scalars.loss).toEqual([
      [0, 1],
      [1, 1 / 3],
      [2, 1 / 9],
    ]);
    expect(tb.scalars['legacy/acc']).toEqual([
      [0, 0],
      [1, 0.25],
      [2, 0.5],
    ]);
    expect(tb.legacyHistograms.weights.map((h) => h.bucketLimit)).toEqual([
      EDGES.slice(1),
      EDGES.slice(1),
      EDGES.slice(1),
    ]);
    expect(tb.legacyHistograms.weights[2].bucket).toEqual([2, 1, 2, 3]);
    expect(tb.text.note[2]).toEqual([2, 'step 2 ✓']);
    const sha = createHash('sha256').update(IMAGE).digest('hex');
    expect(tb.images.sample).toEqual([{ step: 2 ** 40, width: '1', height: '1', sha256: [sha, sha] }]);
    expect(tb.hparams).toEqual({
      start: { hparams: { lr: 0.001, optimizer: 'adam', nesterov: false }, groupName: 'golden' },
      end: { status: 1 },
    });
  });
});
