"""A PyTorch IterableDataset that mixes synthetic images into a training loop."""

import random
from typing import Callable, Iterable, Iterator, Optional, Tuple

import torch
from torch.utils.data import IterableDataset, get_worker_info

from ganpipe.images import SyntheticImage, to_model_input

# Unlabelled synthetic images (from an unconditional model) get this label, so a batch stays one tensor.
NO_LABEL = -1


class SyntheticMix(IterableDataset):
    """Yields ``(image, label, synthetic)``: the real samples of ``real`` with synthetic ones mixed in.

    ``real`` is an iterable of ``(image tensor [C, H, W] in [-1, 1], label)``, read once per epoch; ``synthetic`` is a
    function that returns a fresh iterator of SyntheticImages (e.g. ``lambda: client.stream(64)`` or
    ``lambda: stream_from_topic(...)``), called once per epoch and worker. Each sample is synthetic with probability
    ``synthetic_fraction`` (drawn from ``seed``, so a run repeats), and an epoch ends with the real data. Synthetic
    images come as float32 [C, H, W] in [-1, 1], their label or ``NO_LABEL``.

    With DataLoader workers, each worker takes every n-th real sample and its own synthetic stream.
    """

    def __init__(self, real: Iterable[Tuple[torch.Tensor, int]], synthetic: Callable[[], Iterator[SyntheticImage]],
                 synthetic_fraction: float = 0.5, seed: Optional[int] = None):
        super().__init__()
        if not 0.0 <= synthetic_fraction < 1.0:
            raise ValueError(f"synthetic_fraction is the share of synthetic samples, 0 to below 1, but was {synthetic_fraction}; "
                             "with 1 the real data would never be read.")
        self.real = real
        self.synthetic = synthetic
        self.synthetic_fraction = synthetic_fraction
        self.seed = seed

    def __iter__(self):
        worker = get_worker_info()
        workers, worker_id = (worker.num_workers, worker.id) if worker else (1, 0)
        draw = random.Random(None if self.seed is None else self.seed * 1009 + worker_id)
        synthetic = iter(self.synthetic())
        for position, (image, label) in enumerate(self.real):
            if position % workers != worker_id:
                continue
            while draw.random() < self.synthetic_fraction:
                made = next(synthetic)
                yield (torch.from_numpy(to_model_input(made.pixels)),
                       made.label if made.label is not None else NO_LABEL, True)
            yield image, int(label), False
