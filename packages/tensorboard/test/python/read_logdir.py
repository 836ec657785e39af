"""Reads a logdir with TensorBoard's own code and prints what TensorBoard sees, as JSON.

Usage: read_logdir.py <logdir>
Scalars, histograms, images, text and hparams come from TensorBoard's data provider (what its UI reads);
"legacyHistograms" from the classic EventAccumulator (HistogramProto fields as written, float64).
"""
import hashlib
import json
import math
import os
import sys

from tensorboard import context
from tensorboard.backend.event_processing import data_provider
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.backend.event_processing import plugin_event_multiplexer
from tensorboard.plugins.hparams import metadata as hparams_metadata
from tensorboard.util import tensor_util

ALL = 10**9


def number(value):
    value = float(value)
    return value if math.isfinite(value) else repr(value)


def main(logdir):
    multiplexer = plugin_event_multiplexer.EventMultiplexer(
        size_guidance={event_accumulator.TENSORS: 0},
        tensor_size_guidance={"scalars": 0, "histograms": 0, "images": 0, "text": 0},
    )
    multiplexer.AddRunsFromDirectory(logdir)
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, logdir)
    ctx = context.RequestContext()
    out = {}

    def run_entry(run):
        return out.setdefault(
            run,
            {"scalars": {}, "histograms": {}, "legacyHistograms": {}, "images": {}, "text": {}, "hparams": {}},
        )

    scalars = provider.read_scalars(ctx, experiment_id="", plugin_name="scalars", downsample=ALL)
    for run, tags in scalars.items():
        for tag, data in tags.items():
            run_entry(run)["scalars"][tag] = [[d.step, number(d.value)] for d in data]

    histograms = provider.read_tensors(ctx, experiment_id="", plugin_name="histograms", downsample=ALL)
    for run, tags in histograms.items():
        for tag, data in tags.items():
            run_entry(run)["histograms"][tag] = [
                {"step": d.step, "buckets": [[number(x) for x in row] for row in d.numpy.tolist()]} for d in data
            ]

    images = provider.read_blob_sequences(ctx, experiment_id="", plugin_name="images", downsample=ALL)
    for run, tags in images.items():
        for tag, data in tags.items():
            entries = []
            for d in data:
                blobs = [provider.read_blob(ctx, blob_key=ref.blob_key) for ref in d.values]
                entries.append(
                    {
                        "step": d.step,
                        "width": blobs[0].decode(),
                        "height": blobs[1].decode(),
                        "sha256": [hashlib.sha256(b).hexdigest() for b in blobs[2:]],
                    }
                )
            run_entry(run)["images"][tag] = entries

    texts = provider.read_tensors(ctx, experiment_id="", plugin_name="text", downsample=ALL)
    for run, tags in texts.items():
        for tag, data in tags.items():
            run_entry(run)["text"][tag] = [[d.step, d.numpy.item().decode()] for d in data]

    for run, tags in multiplexer.PluginRunToTagToContent(hparams_metadata.PLUGIN_NAME).items():
        entry = run_entry(run)["hparams"]
        for tag, content in tags.items():
            if tag == hparams_metadata.SESSION_START_INFO_TAG:
                info = hparams_metadata.parse_session_start_info_plugin_data(content)
                hparams = {}
                for name, value in info.hparams.items():
                    kind = value.WhichOneof("kind")
                    hparams[name] = number(value.number_value) if kind == "number_value" else getattr(value, kind)
                entry["start"] = {"hparams": hparams, "groupName": info.group_name}
            elif tag == hparams_metadata.SESSION_END_INFO_TAG:
                entry["end"] = {"status": hparams_metadata.parse_session_end_info_plugin_data(content).status}

    for run in multiplexer.Runs():
        accumulator = event_accumulator.EventAccumulator(
            os.path.join(logdir, run), size_guidance={event_accumulator.HISTOGRAMS: 0}
        )
        accumulator.Reload()
        for tag in accumulator.Tags()["histograms"]:
            run_entry(run)["legacyHistograms"][tag] = [
                {
                    "step": e.step,
                    "min": number(e.histogram_value.min),
                    "max": number(e.histogram_value.max),
                    "num": number(e.histogram_value.num),
                    "bucketLimit": [number(x) for x in e.histogram_value.bucket_limit],
                    "bucket": [number(x) for x in e.histogram_value.bucket],
                }
                for e in accumulator.Histograms(tag)
            ]
    json.dump({"runs": out}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
