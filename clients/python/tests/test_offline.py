"""What the package does on its own: PNG decoding, the model range, and the mixing of SyntheticMix."""

import io
import unittest

import numpy as np
from PIL import Image

from ganpipe import SyntheticImage, decode_png, to_model_input


def png(array, mode):
    out = io.BytesIO()
    Image.fromarray(array, mode).save(out, format="PNG")
    return out.getvalue()


class DecodeTest(unittest.TestCase):

    def test_a_gray_png_becomes_one_channel_first_plane(self):
        gray = np.arange(12 * 10, dtype=np.uint8).reshape(12, 10)
        pixels = decode_png(png(gray, "L"))
        self.assertEqual(pixels.shape, (1, 12, 10))
        np.testing.assert_array_equal(pixels[0], gray)

    def test_an_rgb_png_becomes_three_planes_channels_first(self):
        rgb = np.random.default_rng(1).integers(0, 256, (5, 7, 3), dtype=np.uint8)
        pixels = decode_png(png(rgb, "RGB"))
        self.assertEqual(pixels.shape, (3, 5, 7))
        np.testing.assert_array_equal(pixels, rgb.transpose(2, 0, 1))

    def test_model_input_maps_0_and_255_to_minus_one_and_one(self):
        values = to_model_input(np.array([[[0, 255]]], dtype=np.uint8))
        np.testing.assert_allclose(values, [[[-1.0, 1.0]]])
        self.assertEqual(values.dtype, np.float32)


class SyntheticMixTest(unittest.TestCase):

    def setUp(self):
        try:
            import torch  # noqa: F401
        except ImportError as e:
            raise AssertionError("ganpipe.dataset needs PyTorch: apt-get install python3-torch (see .ci/run).") from e

    def test_about_the_asked_share_of_samples_is_synthetic_and_every_real_sample_comes_once(self):
        import torch
        from ganpipe.dataset import NO_LABEL, SyntheticMix

        real = [(torch.full((1, 4, 4), 0.5), 7)] * 2000

        def synthetic():
            while True:
                yield SyntheticImage(pixels=np.zeros((1, 4, 4), np.uint8), label=None, model_version=1, seed=0, index=0)

        samples = list(SyntheticMix(real, synthetic, synthetic_fraction=0.25, seed=3))
        made = [s for s in samples if s[2]]
        self.assertEqual(len(samples) - len(made), 2000)
        self.assertAlmostEqual(len(made) / len(samples), 0.25, delta=0.03)
        self.assertTrue(all(label == NO_LABEL and image.min().item() == -1.0 for image, label, _ in made))

    def test_a_fraction_of_one_is_refused_as_the_real_data_would_never_be_read(self):
        from ganpipe.dataset import SyntheticMix

        with self.assertRaises(ValueError):
            SyntheticMix([], lambda: iter(()), synthetic_fraction=1.0)


if __name__ == "__main__":
    unittest.main()
