"""Against a real broker and generator service: the JUnit test clients/it PythonClientTest starts both, with the
conditional test model (12x12 gray, classes circle, square, cross), and passes their addresses in GANPIPE_BOOTSTRAP
and GANPIPE_URL. Run by hand against the demo: GANPIPE_BOOTSTRAP=localhost:9092 GANPIPE_URL=http://localhost:8080."""

import os
import unittest
import uuid

import numpy as np

from ganpipe import GeneratorApiError, GeneratorClient, RequestProducer, stream_from_topic

BOOTSTRAP = os.environ.get("GANPIPE_BOOTSTRAP")
URL = os.environ.get("GANPIPE_URL")


@unittest.skipUnless(BOOTSTRAP and URL, "set GANPIPE_BOOTSTRAP and GANPIPE_URL to a running broker and generator")
class LiveTest(unittest.TestCase):

    def setUp(self):
        self.client = GeneratorClient(URL)
        self.model = self.client.live_model()

    def test_the_http_api_lists_the_live_conditional_model_and_refuses_a_class_it_lacks(self):
        self.assertTrue(self.client.ready())
        self.assertEqual(self.model["classes"], ["circle", "square", "cross"])
        with self.assertRaises(GeneratorApiError) as refused:
            self.client.generate(2, seed=1, label=7)
        self.assertEqual((refused.exception.status, refused.exception.error), (400, "bad_parameter"))

    def test_images_asked_for_on_the_topic_arrive_labelled_and_equal_the_http_apis(self):
        request_id = f"python-{uuid.uuid4()}"
        with RequestProducer(BOOTSTRAP) as producer:
            producer.send(4, seed=5, label=2, request_id=request_id, model=self.model["name"])
        images = []
        for image in stream_from_topic(BOOTSTRAP, timeout_s=90, class_names=self.model["classes"],
                                       accept=lambda made: made.request_id == request_id):
            images.append(image)
            if len(images) == 4:
                break
        self.assertEqual(len(images), 4)
        self.assertEqual([image.index for image in images], [0, 1, 2, 3])
        self.assertTrue(all(image.label == 2 and image.class_name == "cross" for image in images))
        self.assertTrue(all(image.seed == 5 and image.model_version == self.model["version"] for image in images))
        self.assertTrue(all(image.model_name == self.model["name"] for image in images))
        self.assertEqual(images[0].shape, (1, 12, 12))
        over_http, made = self.client.generate(4, seed=5, label=2)
        confidences = made.pop("confidences")
        self.assertEqual(made, {"model_version": self.model["version"], "seed": 5, "label": 2, "model_name": self.model["name"]})
        np.testing.assert_array_equal(np.stack([image.pixels for image in images]), over_http)
        # The test model ships a stand-in classifier: each image's confidence is the same on the topic and over HTTP.
        self.assertEqual(len(confidences), 4)
        for image, confidence in zip(images, confidences):
            self.assertAlmostEqual(image.label_confidence, confidence, places=3)

    def test_min_confidence_serves_only_images_the_shipped_classifier_is_sure_of(self):
        _, made = self.client.generate(6, seed=5, label=1)
        median = sorted(made["confidences"])[3]
        _, confident = self.client.generate(2, seed=5, label=1, min_confidence=median)
        self.assertEqual(len(confident["confidences"]), 2)
        self.assertTrue(all(c >= median for c in confident["confidences"]), confident["confidences"])
        with self.assertRaises(GeneratorApiError) as refused:
            self.client.generate(1, min_confidence=0.99)  # the stand-in classifier never reaches 0.99
        self.assertEqual((refused.exception.status, refused.exception.error), (422, "low_confidence"))
        with self.assertRaises(ValueError):
            self.client.generate(1, min_confidence=1.0)

    def test_a_group_goes_on_after_the_last_image_it_took_and_replays_the_one_it_stopped_at(self):
        request_id = f"python-{uuid.uuid4()}"
        group = f"python-test-{uuid.uuid4()}"
        with RequestProducer(BOOTSTRAP) as producer:
            producer.send(4, seed=8, request_id=request_id)

        def mine(made):
            return made.request_id == request_id

        first = []
        for image in stream_from_topic(BOOTSTRAP, group_id=group, timeout_s=90, accept=mine):
            first.append(image.index)
            if len(first) == 2:
                break  # image 1 was taken but the loop never asked for the next: it was not done with it
        again = []
        for image in stream_from_topic(BOOTSTRAP, group_id=group, timeout_s=90, accept=mine):
            again.append(image.index)
            if image.index == 3:
                break
        self.assertEqual(first, [0, 1])
        self.assertEqual(again, [1, 2, 3])

    def test_the_http_stream_labels_image_i_with_class_i_mod_classes(self):
        images = list(self.client.stream(batch_size=4, seed=11, limit=6))
        self.assertEqual([image.label for image in images], [0, 1, 2, 0, 0, 1])
        self.assertEqual(images[1].class_name, "square")
        self.assertEqual([image.seed for image in images], [11, 11, 11, 11, 12, 12])
        self.assertFalse(np.array_equal(images[0].pixels, images[3].pixels), "image 0 and 3 of a call differ in noise")

    def test_a_training_loop_takes_batches_with_synthetic_images_mixed_in(self):
        import torch
        from torch.utils.data import DataLoader

        from ganpipe.dataset import SyntheticMix

        torch.manual_seed(0)
        real = [(torch.rand(1, 12, 12) * 2 - 1, 9)] * 64
        data = SyntheticMix(real, lambda: self.client.stream(batch_size=16, seed=100), synthetic_fraction=0.5, seed=1)
        model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(144, 10))
        optimiser = torch.optim.SGD(model.parameters(), lr=0.1)
        synthetic_seen = 0
        for images, labels, synthetic in DataLoader(data, batch_size=16):
            self.assertEqual(tuple(images.shape[1:]), (1, 12, 12))
            self.assertTrue(torch.all(images >= -1) and torch.all(images <= 1))
            self.assertTrue(torch.all((labels == 9) | (labels >= 0) & (labels < 3)))
            loss = torch.nn.functional.cross_entropy(model(images), labels)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            self.assertTrue(torch.isfinite(loss))
            synthetic_seen += int(synthetic.sum())
        self.assertGreater(synthetic_seen, 20, "about as many synthetic as real samples reach the loop")


if __name__ == "__main__":
    unittest.main()
