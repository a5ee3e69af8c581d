"""The ``synthetic.images`` and ``synthetic.requests`` topics through confluent-kafka (librdkafka).

The header names are docs/DESIGN.md's ("Topics"); the Java services take theirs from the client jar's RecordNames.
"""

import json
import time
import uuid
from typing import Callable, Dict, Iterator, Optional

from ganpipe.images import SyntheticImage, decode_png

SYNTHETIC_IMAGES_TOPIC = "synthetic.images"
SYNTHETIC_REQUESTS_TOPIC = "synthetic.requests"
TYPE_SYNTHETIC_IMAGE = "gan.image.synthetic.v1"
LABEL = "gan.label"
LABEL_CONFIDENCE = "gan.label.confidence"
MODEL_VERSION = "gan.model.version"
MODEL_NAME = "gan.model.name"
SEED = "gan.seed"
INDEX = "gan.index"
IMAGE_SHAPE = "gan.image.shape"
CE_TYPE = "ce_type"
CE_ID = "ce_id"


def _wait_codes():
    from confluent_kafka import KafkaError

    return (KafkaError._PARTITION_EOF, KafkaError.UNKNOWN_TOPIC_OR_PART)


def _headers(message) -> Dict[str, str]:
    # The last header of a name wins, as in the Java client.
    return {name: value.decode("utf-8") for name, value in (message.headers() or []) if value is not None}


def image_from_message(message, class_names=None) -> SyntheticImage:
    """One ``synthetic.images`` record as a SyntheticImage; ValueError for a record the generator did not write."""
    headers = _headers(message)
    if headers.get(CE_TYPE) != TYPE_SYNTHETIC_IMAGE:
        raise ValueError(
            f"The record at {message.topic()}-{message.partition()}@{message.offset()} has CloudEvents type "
            f"{headers.get(CE_TYPE)!r}, not {TYPE_SYNTHETIC_IMAGE}; read only the generator's synthetic.images topic.")
    for name in (MODEL_VERSION, SEED, INDEX, IMAGE_SHAPE):
        if name not in headers:
            raise ValueError(f"The record at {message.topic()}-{message.partition()}@{message.offset()} has no {name} "
                             "header, so the generator service did not write it.")
    pixels = decode_png(message.value())
    width, height, channels = (int(part) for part in headers[IMAGE_SHAPE].split("x"))
    if pixels.shape != (channels, height, width):
        raise ValueError(f"The PNG at {message.topic()}-{message.partition()}@{message.offset()} is {pixels.shape} "
                         f"(C, H, W) but its header says {headers[IMAGE_SHAPE]}; the record is damaged.")
    label = int(headers[LABEL]) if LABEL in headers else None
    class_name = class_names[label] if label is not None and class_names and label < len(class_names) else None
    key = message.key()
    return SyntheticImage(pixels=pixels, label=label, model_version=int(headers[MODEL_VERSION]), seed=int(headers[SEED]),
                          index=int(headers[INDEX]), class_name=class_name,
                          request_id=key.decode("utf-8") if key is not None else None, event_id=headers.get(CE_ID),
                          label_confidence=float(headers[LABEL_CONFIDENCE]) if LABEL_CONFIDENCE in headers else None,
                          model_name=headers.get(MODEL_NAME))


def stream_from_topic(bootstrap_servers: str, group_id: Optional[str] = None, topic: str = SYNTHETIC_IMAGES_TOPIC,
                      from_beginning: bool = True, timeout_s: Optional[float] = None,
                      accept: Optional[Callable[[SyntheticImage], bool]] = None, class_names=None,
                      config: Optional[dict] = None) -> Iterator[SyntheticImage]:
    """Yields the images on ``topic`` as they arrive, until ``timeout_s`` passes without a new one (forever if None).

    Committed records only (the request stream writes in transactions). An image's offset is stored once the caller
    took it and asked for the next, and committed from there every few seconds and on close, so an image is never lost
    to a crash, only replayed (at least once). Without a
    ``group_id`` a fresh group reads the topic anew. ``accept`` filters, e.g. ``lambda image: image.request_id == rid``;
    ``class_names`` (label order, e.g. ``GeneratorClient.live_model()["classes"]``) fills in ``class_name``;
    ``config`` adds librdkafka settings (security.protocol, sasl.*, ssl.*).
    """
    from confluent_kafka import Consumer, KafkaException

    settings = {
        "bootstrap.servers": bootstrap_servers,
        "group.id": group_id or f"ganpipe-python-{uuid.uuid4()}",
        "auto.offset.reset": "earliest" if from_beginning else "latest",
        "isolation.level": "read_committed",
        # Offsets are stored by hand once the caller took an image, and committed from the store in the background
        # and on close: at least once, without a broker round trip per image.
        "enable.auto.commit": True,
        "enable.auto.offset.store": False,
    }
    settings.update(config or {})
    consumer = Consumer(settings)
    _WAIT_ON = _wait_codes()
    try:
        consumer.subscribe([topic])
        last = time.monotonic()
        while timeout_s is None or time.monotonic() - last < timeout_s:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                # A topic not created yet, or the end of a partition, is no failure: keep waiting for images.
                if message.error().retriable() or message.error().code() in _WAIT_ON:
                    continue
                raise KafkaException(message.error())
            last = time.monotonic()
            image = image_from_message(message, class_names)
            if accept is None or accept(image):
                yield image
            consumer.store_offsets(message=message)
    finally:
        consumer.close()


class RequestProducer:
    """Asks the generator for images through ``synthetic.requests``; the answer comes on ``synthetic.images`` under
    the request id. Idempotent, ``acks=all``, like every producer of the pipeline."""

    def __init__(self, bootstrap_servers: str, topic: str = SYNTHETIC_REQUESTS_TOPIC, config: Optional[dict] = None):
        from confluent_kafka import Producer

        settings = {"bootstrap.servers": bootstrap_servers, "enable.idempotence": True, "acks": "all"}
        settings.update(config or {})
        self._producer = Producer(settings)
        self._topic = topic

    def send(self, count: int, seed: Optional[int] = None, label: Optional[int] = None,
             request_id: Optional[str] = None, timeout_s: float = 30.0, min_confidence: Optional[float] = None,
             model: Optional[str] = None) -> str:
        """Sends ``{"count":..,"seed":..,"label":..,"min_confidence":..,"model":..}`` and returns the request id once the
        broker has it. ``model`` names the model to answer from when the service serves several."""
        if count < 1:
            raise ValueError(f"A request asks for at least 1 image, but count was {count}.")
        request = {"count": count}
        if seed is not None:
            request["seed"] = seed
        if label is not None:
            request["label"] = label
        if min_confidence is not None:
            request["min_confidence"] = min_confidence
        if model is not None:
            request["model"] = model
        request_id = request_id or str(uuid.uuid4())
        outcome = {}
        self._producer.produce(self._topic, key=request_id.encode("utf-8"), value=json.dumps(request).encode("utf-8"),
                               on_delivery=lambda error, _message: outcome.setdefault("error", error))
        if self._producer.flush(timeout_s) > 0 or "error" not in outcome:
            raise TimeoutError(f"Request {request_id} was not written to {self._topic} within {timeout_s} s; check that "
                               "the broker is reachable and the topic exists.")
        if outcome["error"] is not None:
            raise RuntimeError(f"Request {request_id} could not be written to {self._topic}: {outcome['error']}.")
        return request_id

    def close(self):
        self._producer.flush(10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
