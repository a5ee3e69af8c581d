"""Synthetic images from the ganpipe generator service, for Python training loops.

Stream labelled images from the ``synthetic.images`` topic (:func:`stream_from_topic`) or the generator's HTTP API
(:class:`GeneratorClient`) as numpy arrays, ask for images through ``synthetic.requests`` (:class:`RequestProducer`),
and mix them into a PyTorch training loop (:class:`ganpipe.dataset.SyntheticMix`, imported on its own so that the
rest needs no torch). The record format is docs/DESIGN.md's, read by the Java client jar the same way.
"""

from ganpipe.images import SyntheticImage, decode_png, to_model_input
from ganpipe.http import GeneratorApiError, GeneratorClient
from ganpipe.kafka import RequestProducer, stream_from_topic

__all__ = [
    "GeneratorApiError",
    "GeneratorClient",
    "RequestProducer",
    "SyntheticImage",
    "decode_png",
    "stream_from_topic",
    "to_model_input",
]
