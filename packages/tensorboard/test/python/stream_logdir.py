"""Writes Keras-style train/ and validation/ event files slowly, flushing each epoch, like a training job would.

Usage: stream_logdir.py <logdir> <epochs> <seconds between epochs>
Prints one line per epoch once its events are flushed.
"""
import os
import sys
import time

from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter


def scalar(step, tag, value):
    summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)])
    return event_pb2.Event(wall_time=time.time(), step=step, summary=summary)


def main(logdir, epochs, delay):
    train = EventFileWriter(os.path.join(logdir, "train"))
    validation = EventFileWriter(os.path.join(logdir, "validation"))
    for epoch in range(epochs):
        train.add_event(scalar(epoch, "epoch_loss", 1.0 / (epoch + 1)))
        train.flush()
        time.sleep(delay / 2)
        validation.add_event(scalar(epoch, "epoch_loss", 2.0 / (epoch + 1)))
        validation.flush()
        print(epoch, flush=True)
        time.sleep(delay / 2)
    train.close()
    validation.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
