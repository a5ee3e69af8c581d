"""One synthetic image as numpy, and the PNG decoding shared by the topic and HTTP sources."""

import io
from dataclasses import dataclass
from typing import Optional

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class SyntheticImage:
    """One labelled synthetic image.

    ``pixels`` is uint8 [C, H, W] (C = 1 gray or 3 RGB), the layout of the HTTP API's npy format. ``label`` is the class
    the image was made for, or None from an unconditional model; ``class_name`` is its name when known. ``request_id``
    is the record key on the topic (``stream-<n>`` in continuous mode), None over HTTP. ``label_confidence`` is the
    model's shipped classifier's probability (0 to 1) that the image shows its label, None when the model ships none.
    ``model_name`` names the model that made it (a service may serve several), None from services older than that.
    """

    pixels: np.ndarray
    label: Optional[int]
    model_version: int
    seed: int
    index: int
    class_name: Optional[str] = None
    request_id: Optional[str] = None
    event_id: Optional[str] = None
    label_confidence: Optional[float] = None
    model_name: Optional[str] = None

    @property
    def shape(self):
        """(channels, height, width)."""
        return self.pixels.shape


def decode_png(png: bytes) -> np.ndarray:
    """A PNG as uint8 [C, H, W]: 1 channel for a gray image, 3 for a colour one (alpha dropped)."""
    with Image.open(io.BytesIO(png)) as image:
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB" if "A" in image.mode or image.mode == "P" else "L")
        array = np.asarray(image, dtype=np.uint8)
    if array.ndim == 2:
        return array[np.newaxis, :, :].copy()
    return np.ascontiguousarray(array.transpose(2, 0, 1))


def to_model_input(pixels: np.ndarray) -> np.ndarray:
    """uint8 pixels mapped to float32 in [-1, 1], the range the pipeline's generators make and its trainer reads."""
    return pixels.astype(np.float32) / 127.5 - 1.0
