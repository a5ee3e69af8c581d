#!/usr/bin/env python3
"""Builds a small labelled RGB dataset from the Google emoji images packaged for npm: 64x64 PNGs (RGBA) in one
sub-folder per emoji category, written as a tar archive that `./gan demo --data` and `./gan ingest` read directly.

    npm pack emoji-datasource-google          # fetches emoji-datasource-google-<version>.tgz (images and emoji.json)
    python3 scripts/emoji-dataset.py emoji-datasource-google-*.tgz emoji.tar        # 1,906 images, 9 classes
    ./gan demo --data emoji.tar               # 64x64 RGB, 9 classes, decided from the data

With --skin-tones the skin-tone variations join their emoji's category too (3,781 images, 2,261 of them people-body).
The 'Component' category (skin-tone swatches) is left out.
Standard library only; nothing is downloaded here.
"""
import io
import json
import re
import sys
import tarfile


def slug(category):
    return re.sub(r"[^a-z0-9]+", "-", category.lower()).strip("-")


def main(argv):
    skin_tones = "--skin-tones" in argv
    args = [a for a in argv[1:] if a != "--skin-tones"]
    if len(args) != 2:
        sys.exit("usage: emoji-dataset.py [--skin-tones] PACKAGE.tgz OUT.tar  (make PACKAGE.tgz with: npm pack emoji-datasource-google)")
    package, out = args
    with tarfile.open(package) as tgz:
        names = set(tgz.getnames())
        emoji = json.load(tgz.extractfile("package/emoji.json"))
        vendor = next((v for v in ("google", "apple", "twitter", "facebook") if f"package/img/{v}/64/{emoji[0]['image']}" in names), None)
        if vendor is None:
            sys.exit(f"{package} holds no 64x64 emoji images (package/img/<vendor>/64/); pack emoji-datasource-google or -apple.")
        written = {}
        with tarfile.open(out, "w") as tar:
            for e in emoji:
                if e["category"] == "Component":
                    continue
                images = [e["image"]]
                if skin_tones:
                    images += [v["image"] for v in (e.get("skin_variations") or {}).values()]
                for image in images:
                    member = f"package/img/{vendor}/64/{image}"
                    if member not in names:
                        continue
                    data = tgz.extractfile(member).read()
                    info = tarfile.TarInfo(f"{slug(e['category'])}/{image}")
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
                    written[slug(e["category"])] = written.get(slug(e["category"]), 0) + 1
    total = sum(written.values())
    print(f"Wrote {total} {vendor} emoji (64x64 RGBA PNG) in {len(written)} classes to {out}:")
    for category, count in sorted(written.items()):
        print(f"  {category:20s} {count}")


if __name__ == "__main__":
    main(sys.argv)
