"""The generator service's HTTP API (docs/DESIGN.md, "Ports and endpoints"; ``GET /openapi.json``), stdlib only."""

import io
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Iterator, List, Optional, Tuple

import numpy as np

from ganpipe.images import SyntheticImage


class GeneratorApiError(Exception):
    """The service refused a call: its status, error code (``bad_parameter``, ``not_ready``, ``busy``...) and sentence."""

    def __init__(self, call: str, status: int, error: str, message: str, retry_after_s: Optional[int] = None):
        super().__init__(f"{call} answered {status} {error}: {message}")
        self.status = status
        self.error = error
        self.message = message
        self.retry_after_s = retry_after_s


class GeneratorClient:
    """A client of the generator at ``base_url`` (e.g. ``http://localhost:8080``), with the bearer ``api_key`` when the
    service was started with ``--api-key``."""

    def __init__(self, base_url: str, api_key: Optional[str] = None, timeout_s: float = 60.0):
        self._base = base_url.rstrip("/")
        self._api_key = api_key
        self._timeout_s = timeout_s

    def generate(self, count: int, seed: Optional[int] = None, label: Optional[int] = None,
                 model: Optional[str] = None, min_confidence: Optional[float] = None) -> Tuple[np.ndarray, dict]:
        """``count`` images as uint8 [N, C, H, W] (the npy format) and what made them: ``model_version``, ``seed``
        (the one the service picked, when none was given), ``label`` (when given), ``model_name`` and
        ``confidences`` (each image's confidence for its label from the model's shipped classifier; None when it
        ships none). ``model`` picks one of the models the service serves (needed once it serves several without a
        default); ``min_confidence`` (0 to below 1) serves only images the classifier is at least that sure of."""
        if min_confidence is not None and not 0 <= min_confidence < 1:
            raise ValueError("min_confidence must be a probability from 0 to below 1 (e.g. 0.9), but was %r." % (min_confidence,))
        query = {"format": "npy", "count": count}
        if model is not None:
            query["model"] = model
        if min_confidence is not None:
            query["min_confidence"] = min_confidence
        if seed is not None:
            query["seed"] = seed
        if label is not None:
            query["label"] = label
        body, headers = self._call("GET", "/v1/generate?" + urllib.parse.urlencode(query))
        images = np.load(io.BytesIO(body), allow_pickle=False)
        made = {"model_version": int(headers["X-Model-Version"]), "seed": int(headers["X-Seed"]),
                "label": int(headers["X-Label"]) if headers.get("X-Label") is not None else None,
                "model_name": headers.get("X-Model-Name"),
                "confidences": [float(c) for c in headers["X-Label-Confidence"].split(",")]
                if headers.get("X-Label-Confidence") else None}
        return images, made

    def models(self) -> dict:
        """``GET /v1/models``: ``{"live": version or None, "pinned": ..., "default": name or None, "served": [...],
        "models": [...]}``; ``live`` and ``pinned`` describe the default model, ``models`` every version of every name."""
        body, _ = self._call("GET", "/v1/models")
        return json.loads(body)

    def live_model(self) -> Optional[dict]:
        """The default model's live version (``name``, ``version``, ``imageShape``, ``classes``...), if any; None also
        when the service serves several models without a default."""
        listing = self.models()
        rows = listing["models"]
        # Services before several models were served have no "default": their one model is it.
        default = listing["default"] if "default" in listing else next((m["name"] for m in rows), None)
        return next((m for m in rows if m["active"] and m["name"] == default), None)

    def ready(self) -> bool:
        """``GET /readyz``: whether a model is live, so images can be asked for."""
        try:
            self._call("GET", "/readyz")
            return True
        except GeneratorApiError as e:
            if e.status == 503:
                return False
            raise

    def stream(self, batch_size: int = 64, seed: Optional[int] = None, label: Optional[int] = None,
               limit: Optional[int] = None) -> Iterator[SyntheticImage]:
        """Yields labelled images, ``batch_size`` per call, until ``limit`` (forever if None).

        From a conditional model, image i of a call without ``label`` has class i mod classes (DESIGN.md); from an
        unconditional one the label is None. With a ``seed``, call k uses seed + k, so a run can be repeated.
        """
        model = self.live_model()
        classes: List[str] = list(model.get("classes", [])) if model else []
        made_count = 0
        call = 0
        while limit is None or made_count < limit:
            count = batch_size if limit is None else min(batch_size, limit - made_count)
            images, made = self.generate(count, None if seed is None else seed + call, label)
            for i in range(count):
                image_label = made["label"] if made["label"] is not None else (i % len(classes) if classes else None)
                yield SyntheticImage(pixels=images[i], label=image_label, model_version=made["model_version"],
                                     seed=made["seed"], index=i,
                                     class_name=classes[image_label] if image_label is not None and image_label < len(classes) else None,
                                     model_name=made["model_name"])
            made_count += count
            call += 1

    def _call(self, method: str, path: str):
        request = urllib.request.Request(self._base + path, method=method)
        if self._api_key:
            request.add_header("Authorization", "Bearer " + self._api_key)
        try:
            with urllib.request.urlopen(request, timeout=self._timeout_s) as response:
                return response.read(), response.headers
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace")
            error, message = f"http_{e.code}", body[:200] or "no detail"
            try:
                parsed = json.loads(body)
                error, message = parsed["error"], parsed["message"]
            except (ValueError, KeyError, TypeError):
                pass  # Not the service's JSON error (e.g. a proxy's page): the body, above, is the detail there is.
            retry = e.headers.get("Retry-After")
            raise GeneratorApiError(f"{method} {path}", e.code, error, message, int(retry) if retry else None) from e
        except urllib.error.URLError as e:
            raise ConnectionError(f"The generator at {self._base} could not be reached ({method} {path}): {e.reason}; "
                                  "check the address and that the service runs.") from e
