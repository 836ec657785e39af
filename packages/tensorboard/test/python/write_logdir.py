"""Writes a TensorBoard logdir the way other tools do, with TensorBoard's own Python code, and prints what it wrote.

Usage: write_logdir.py <logdir>
Runs written (each a folder of <logdir>):
  pytorch/  legacy protos as torch.utils.tensorboard writes them: simple_value scalars, HistogramProto,
            Summary.Image, text-plugin tensors, hparams, plus an audio value and a pr_curves tensor (not imported)
  keras/    train/ and validation/ subfolders, TF2 tensor-form summaries (tensorboard.summary.Writer for scalars,
            the histogram/text summary_v2 protos, image-plugin tensors)
  tfjs/     train/ and val/ as tf.node.tensorBoard writes them (TF's C++ writer: simple_value, HistogramProto,
            file names without a pid), batch_loss and epoch_loss on two step axes
  restart/  a writer that restarted at step 5 (SessionLog START): TensorBoard purges the first session's steps >= 5
Prints JSON of the values written, to compare with what runlog imports.
"""
import hashlib
import io
import json
import os
import sys

import numpy as np
from PIL import Image
from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.plugins.hparams import metadata as hparams_metadata
from tensorboard.plugins.hparams import plugin_data_pb2
from tensorboard.plugins.hparams import summary_v2 as hparams_summary
from tensorboard.plugins.histogram import summary_v2 as histogram_summary
from tensorboard.plugins.image import metadata as image_metadata
from tensorboard.plugins.pr_curve import metadata as pr_metadata
from tensorboard.plugins.text import summary_v2 as text_summary
from tensorboard.summary import Writer
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from tensorboard.summary.writer.record_writer import RecordWriter
from tensorboard.util import tensor_util


def png(seed, width=6, height=4):
    rng = np.random.default_rng(seed)
    out = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (height, width, 3), dtype=np.uint8)).save(out, format="PNG")
    return out.getvalue()


def sha(data):
    return hashlib.sha256(data).hexdigest()


def event(step, summary, wall_time=None):
    return event_pb2.Event(wall_time=wall_time or 1700000000.0 + step, step=step, summary=summary)


def legacy_histogram(values, bins):
    counts, edges = np.histogram(values, bins=bins)
    histo = summary_pb2.HistogramProto(
        min=float(values.min()),
        max=float(values.max()),
        num=len(values),
        sum=float(values.sum()),
        sum_squares=float((values**2).sum()),
        bucket_limit=edges[1:].tolist(),
        bucket=counts.astype(float).tolist(),
    )
    return histo, {"edges": edges.tolist(), "counts": counts.tolist()}


def session_end(status):
    content = plugin_data_pb2.HParamsPluginData(session_end_info=plugin_data_pb2.SessionEndInfo(status=status))
    return summary_pb2.Summary(
        value=[
            summary_pb2.Summary.Value(
                tag=hparams_metadata.SESSION_END_INFO_TAG,
                metadata=hparams_metadata.create_summary_metadata(content),
                tensor=hparams_metadata.NULL_TENSOR,
            )
        ]
    )


def write_pytorch(logdir, expected):
    writer = EventFileWriter(os.path.join(logdir, "pytorch"))
    rng = np.random.default_rng(0)
    scalars = {"loss": [], "acc": []}
    for step in range(10):
        loss, acc = float(np.float32(1.0 / (step + 1))), float(np.float32(step / 10))
        scalars["loss"].append([step, loss])
        scalars["acc"].append([step, acc])
        writer.add_event(
            event(
                step,
                summary_pb2.Summary(
                    value=[
                        summary_pb2.Summary.Value(tag="loss", simple_value=loss),
                        summary_pb2.Summary.Value(tag="acc", simple_value=acc),
                    ]
                ),
            )
        )
    weights = rng.normal(size=1000)
    histo, histogram = legacy_histogram(weights, 30)
    writer.add_event(event(9, summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="weights", histo=histo)])))
    image = png(1)
    writer.add_event(
        event(
            9,
            summary_pb2.Summary(
                value=[
                    summary_pb2.Summary.Value(
                        tag="digits",
                        image=summary_pb2.Summary.Image(height=4, width=6, colorspace=3, encoded_image_string=image),
                    )
                ]
            ),
        )
    )
    writer.add_event(event(9, text_summary.text_pb("notes", "trained **10** steps")))
    writer.add_event(event(0, hparams_summary.hparams_pb({"lr": 0.01, "optimizer": "sgd", "nesterov": True})))
    writer.add_event(event(9, session_end(2)))  # STATUS_FAILURE
    audio = summary_pb2.Summary.Audio(sample_rate=8000, num_channels=1, length_frames=1, encoded_audio_string=b"RIFF")
    writer.add_event(event(9, summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="speech", audio=audio)])))
    pr = summary_pb2.Summary.Value(
        tag="pr",
        metadata=pr_metadata.create_summary_metadata(display_name="pr", description="", num_thresholds=2),
        tensor=tensor_util.make_tensor_proto(np.zeros((6, 2), dtype=np.float32)),
    )
    writer.add_event(event(9, summary_pb2.Summary(value=[pr])))
    writer.close()
    expected["pytorch"] = {"scalars": scalars, "weights": histogram, "digits": sha(image), "hparams": {"lr": 0.01, "optimizer": "sgd", "nesterov": True}}


def write_keras(logdir, expected):
    train = Writer(os.path.join(logdir, "keras", "train"))
    validation = EventFileWriter(os.path.join(logdir, "keras", "validation"), filename_suffix=".v2")
    extra = EventFileWriter(os.path.join(logdir, "keras", "train"), filename_suffix=".v2")
    out = {"train/epoch_loss": [], "validation/epoch_loss": [], "validation/evaluation_loss_vs_iterations": []}
    for epoch in range(5):
        loss = float(np.float32(2.0 / (epoch + 1)))
        val = float(np.float32(2.5 / (epoch + 1)))
        train.add_scalar("epoch_loss", loss, epoch, wall_time=1700000000.0 + epoch)
        out["train/epoch_loss"].append([epoch, loss])
        validation.add_event(event(epoch, histogram_free_scalar("epoch_loss", val)))
        out["validation/epoch_loss"].append([epoch, val])
        validation.add_event(event((epoch + 1) * 100, histogram_free_scalar("evaluation_loss_vs_iterations", val)))
        out["validation/evaluation_loss_vs_iterations"].append([(epoch + 1) * 100, val])
    kernel = np.linspace(-1, 1, 64)
    extra.add_event(event(4, histogram_summary.histogram_pb("dense/kernel_0", kernel, buckets=8)))
    image = png(2, 5, 5)
    images = summary_pb2.Summary.Value(
        tag="samples",
        metadata=image_metadata.create_summary_metadata(display_name="samples", description=""),
        tensor=tensor_util.make_tensor_proto([b"5", b"5", image, png(3, 5, 5)]),
    )
    extra.add_event(event(4, summary_pb2.Summary(value=[images])))
    train.close()
    validation.close()
    extra.close()
    expected["keras"] = {"scalars": out, "samples": sha(image)}


def histogram_free_scalar(tag, value):
    from tensorboard.plugins.scalar import summary_v2 as scalar_summary

    return scalar_summary.scalar_pb(tag, value)


def write_tfjs(logdir, expected):
    out = {"train/batch_loss": [], "train/epoch_loss": [], "val/epoch_loss": []}
    for split in ("train", "val"):
        folder = os.path.join(logdir, "tfjs", split)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "events.out.tfevents.1700000000.box"), "wb") as f:
            records = RecordWriter(f)
            records.write(event_pb2.Event(wall_time=1700000000.0, file_version="brain.Event:2").SerializeToString())
            for batch in range(1, 31 if split == "train" else 1):
                value = float(np.float32(1.0 / batch))
                s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="batch_loss", simple_value=value)])
                records.write(event(batch, s).SerializeToString())
                out["train/batch_loss"].append([batch, value])
            for epoch in range(1, 4):
                value = float(np.float32(0.5 / epoch + (0.1 if split == "val" else 0)))
                s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="epoch_loss", simple_value=value)])
                records.write(event(epoch, s).SerializeToString())
                out[f"{split}/epoch_loss"].append([epoch, value])
            if split == "train":
                histo, histogram = legacy_histogram(np.linspace(0, 1, 101), 10)
                s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="dense_Dense1/kernel", histo=histo)])
                records.write(event(3, s).SerializeToString())
                expected["tfjsHistogram"] = histogram
    expected["tfjs"] = {"scalars": out}


def write_restart(logdir, expected):
    writer = EventFileWriter(os.path.join(logdir, "restart"))
    start = event_pb2.Event(wall_time=1700000000.0, step=0, session_log=event_pb2.SessionLog(status=1))
    writer.add_event(start)
    for step in range(10):
        writer.add_event(event(step, summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="x", simple_value=step)])))
    writer.add_event(event_pb2.Event(wall_time=1700000100.0, step=5, session_log=event_pb2.SessionLog(status=1)))
    for step in range(5, 8):
        v = step * 10
        writer.add_event(event(step, summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="x", simple_value=v)])))
    writer.close()
    expected["restart"] = {"x": [[s, s] for s in range(5)] + [[s, s * 10] for s in range(5, 8)]}


def main(logdir):
    expected = {}
    write_pytorch(logdir, expected)
    write_keras(logdir, expected)
    write_tfjs(logdir, expected)
    write_restart(logdir, expected)
    json.dump(expected, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
