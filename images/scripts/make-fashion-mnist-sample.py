#!/usr/bin/env python3
"""Writes the bundled Fashion-MNIST sample: the first N images and labels of the training set as IDX files.

Usage: make-fashion-mnist-sample.py SOURCE_DIR TARGET_DIR [COUNT]
  SOURCE_DIR holds train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz (the Zalando release);
  TARGET_DIR receives files of the same names with the count in their headers set to COUNT (default 500).
The gzip header carries no file name and a zero timestamp, so the output is byte-for-byte reproducible.
"""
import gzip
import struct
import sys
from pathlib import Path


def slice_idx(source: Path, target: Path, count: int, magic: int) -> None:
    with gzip.open(source, "rb") as f:
        data = f.read()
    found_magic, dims = struct.unpack(">I", data[:4])[0], data[3]
    if found_magic != magic:
        sys.exit(f"{source} starts with magic 0x{found_magic:08x}, expected 0x{magic:08x}; is it the right file?")
    sizes = list(struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims]))
    if sizes[0] < count:
        sys.exit(f"{source} holds only {sizes[0]} items, fewer than the {count} asked for.")
    item = 1
    for s in sizes[1:]:
        item *= s
    body_start = 4 + 4 * dims
    body = data[body_start:body_start + count * item]
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * dims, count, *sizes[1:])
    with open(target, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
            out.write(header + body)


def main() -> None:
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) == 4 else 500
    target.mkdir(parents=True, exist_ok=True)
    slice_idx(source / "train-images-idx3-ubyte.gz", target / "train-images-idx3-ubyte.gz", count, 0x00000803)
    slice_idx(source / "train-labels-idx1-ubyte.gz", target / "train-labels-idx1-ubyte.gz", count, 0x00000801)


if __name__ == "__main__":
    main()
