"""Build the course's image set, "is the digit odd?", from scikit-learn's handwritten digits.

    python scripts/make_digits_dataset.py [--out DIR]

writes DIR/train_digits.h5 (209 images) and DIR/test_digits.h5 (50 images),
by default into the data/ folder of the repository. The files follow the
classic assignment's layout, so ``dl_utils.load_dataset`` reads them:

    train_set_x   (209, 64, 64, 3) uint8    test_set_x   (50, 64, 64, 3) uint8
    train_set_y   (209,) int64, 0 or 1      test_set_y   (50,) int64
    list_classes  [b"even", b"odd"]         (label 1 = odd digit), in both files

The source is the copy of the UCI "Optical Recognition of Handwritten Digits"
set that ships inside scikit-learn (no download). The images are drawn at
random from all ten digits; the label says whether the digit is odd. Each 8x8
image (counts 0..16) is enlarged to 64x64 by bilinear interpolation and drawn
in RGB as light ink (in 33 shades, from none to full) on dark paper, so that
after scaling by 1/255 the blank background is near 0 and the strokes are
bright (the course's 4-layer ReLU network trains on it with the default
learning rate). Everything is fixed by SEED, and the HDF5 files are written
without timestamps, so running the script again gives the same arrays.
"""

import argparse
from pathlib import Path

import h5py
import numpy as np
from sklearn.datasets import load_digits

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data"
SEED = 2
CLASSES = np.array([b"even", b"odd"])  # label 0 = even digit, label 1 = odd digit
PART_SIZES = {"train": 209, "test": 50}  # the classic assignment's sizes
FILE_NAMES = {"train": "train_digits.h5", "test": "test_digits.h5"}
IMAGE_SIZE = 64
MAX_COUNT = 16.0  # the largest pixel value of the source images
INK_LEVELS = 32  # shades of ink between blank and full: smooth, and keeps the files small
PAPER = np.array([20.0, 22.0, 35.0])  # RGB of a blank pixel: dark blue-grey
INK = np.array([250.0, 240.0, 200.0])  # RGB of a fully inked pixel: pale yellow


def interpolation_weights(n_in, n_out):
    """Where each output pixel falls between two input pixels (corners aligned).

    Returns (low, high, frac), each of shape (n_out,): output pixel i is
    (1 - frac[i]) * input[low[i]] + frac[i] * input[high[i]].
    """
    position = np.arange(n_out) * (n_in - 1) / (n_out - 1)
    low = np.minimum(np.floor(position).astype(int), n_in - 2)
    return low, low + 1, position - low


def upscale_bilinear(image, size):
    """Enlarge a square image smoothly: shape (n, n) -> (size, size), floats.

    Interpolates along the rows, then along the columns, with plain
    elementwise numpy arithmetic so the result is the same on every machine.
    """
    low, high, frac = interpolation_weights(image.shape[0], size)
    rows = image[low, :] * (1 - frac)[:, None] + image[high, :] * frac[:, None]
    return rows[:, low] * (1 - frac) + rows[:, high] * frac


def render_rgb(image):
    """Draw an image of ink counts (shape (h, w), 0..16) as RGB, shape (h, w, 3) uint8.

    The ink is rounded to INK_LEVELS + 1 shades (blank, ..., full), enough for
    a smooth look and much easier to compress than every possible value.
    """
    ink = np.rint(np.clip(image / MAX_COUNT, 0.0, 1.0) * INK_LEVELS) / INK_LEVELS
    ink = ink[:, :, None]
    colour = PAPER + (INK - PAPER) * ink
    return np.rint(colour).astype(np.uint8)


def pick_examples(n, rng):
    """Choose the examples of each part at random among all n source images.

    Returns {"train": indices, "test": indices}, disjoint index arrays.
    """
    chosen = rng.permutation(n)
    n_train = PART_SIZES["train"]
    return {
        "train": chosen[:n_train],
        "test": chosen[n_train : n_train + PART_SIZES["test"]],
    }


def build_parts():
    """Return {"train": (x, y), "test": (x, y)}: x (m, 64, 64, 3) uint8, y (m,) int64."""
    digits = load_digits()
    rng = np.random.RandomState(SEED)
    parts = {}
    for part, indices in pick_examples(digits.target.size, rng).items():
        x = np.stack([render_rgb(upscale_bilinear(digits.images[i], IMAGE_SIZE)) for i in indices])
        y = (digits.target[indices] % 2).astype(np.int64)
        parts[part] = (x, y)
    return parts


def write_part(path, part, x, y):
    """Write one part in the classic layout: {part}_set_x, {part}_set_y, list_classes."""
    options = {"compression": "gzip", "compression_opts": 9, "track_times": False}
    with h5py.File(path, "w") as h5file:
        h5file.create_dataset(f"{part}_set_x", data=x, chunks=(16, *x.shape[1:]), **options)
        h5file.create_dataset(f"{part}_set_y", data=y, **options)
        h5file.create_dataset("list_classes", data=CLASSES, track_times=False)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="folder to write the two files into"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for part, (x, y) in build_parts().items():
        path = args.out / FILE_NAMES[part]
        write_part(path, part, x, y)
        print(
            f"{path.name}: {part}_set_x {x.shape} {x.dtype}, {int(y.sum())} odd and "
            f"{int((y == 0).sum())} even digits, {path.stat().st_size / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
