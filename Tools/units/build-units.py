#!/usr/bin/env python3
"""Build Sources/CaseLineStore/Resources/admin-units.tsv from vietnamadminunits==1.0.4.

Usage:
    Tools/units/build-units.py [--wheel FILE] [--output FILE] [--quiet]

    --wheel FILE   use an already downloaded wheel or sdist of vietnamadminunits
                   1.0.4 instead of running `pip download` (its SHA-256 is
                   checked only if it is the pinned wheel file name).
    --output FILE  where to write the TSV (default: the CaseLineStore resource,
                   relative to this script: ../../Sources/CaseLineStore/Resources/
                   admin-units.tsv).
    --quiet        print only errors.

What it does:
    1. `python3 -m pip download --no-deps vietnamadminunits==1.0.4 -d TMPDIR`
       (the MIT-licensed package by Hieu Tran, https://pypi.org/project/
       vietnamadminunits/), and checks the wheel's SHA-256 against the pinned
       value below.
    2. Opens the wheel (zip) or sdist (tar) in place -- nothing is installed --
       and reads vietnamadminunits/data/dataset.db (SQLite: tables admin_units,
       the 34 provinces / 3,321 communes in force from 1 July 2025, and
       admin_units_legacy, the 63 provinces / 696 districts / 10,035 communes
       before it) and vietnamadminunits/data/converter_2025.json (old -> new).
    3. Writes one deterministic, sorted, UTF-8 (NFC), LF-terminated,
       tab-separated file.  Format (see Tools/units/README.md for the details):

         # comment lines (source, licence, column layout)
         U <edition> <code> <type> <name> <short_name> <parent_code> <province_code> <lat> <lon> <area_km2>
         L <legacy_code> <new_code> <kind>

       edition is "2025" or "legacy"; units are keyed by (edition, code)
       because codes were reused across the reform.  type is one of:
       province city district urban-district town district-city commune ward
       township special-zone.  L kind is one of: whole, split, split-default.
    4. Verifies the counts (34 provinces and 3,321 communes in edition 2025,
       63 provinces in legacy, every lineage code resolves to a unit) and prints
       a summary.  Exits non-zero if a hard check fails.

Only the Python 3 standard library is used.  Re-running it produces a
byte-identical file.
"""

import argparse
import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict

PACKAGE = "vietnamadminunits"
VERSION = "1.0.4"
WHEEL_NAME = "vietnamadminunits-1.0.4-py3-none-any.whl"
WHEEL_SHA256 = "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35"

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUTPUT = os.path.normpath(
    os.path.join(HERE, "..", "..", "Sources", "CaseLineStore", "Resources", "admin-units.tsv"))

# Vietnamese unit-type words (the prefix of every official name) -> CaseLine type.
# Longest prefixes first is not needed: no prefix is a prefix of another at the same level.
PROVINCE_TYPES = {
    "Tỉnh": "province",            # province
    "Thành phố": "city",           # centrally-run city (thành phố trực thuộc trung ương)
}
DISTRICT_TYPES = {                 # legacy edition only; the 2025 reform abolished this tier
    "Huyện": "district",           # rural district
    "Quận": "urban-district",      # urban district of a centrally-run city
    "Thị xã": "town",              # district-level town
    "Thành phố": "district-city",  # city under a province, or under a centrally-run city (Thủ Đức, Thủy Nguyên)
}
COMMUNE_TYPES = {
    "Xã": "commune",               # rural commune
    "Phường": "ward",              # urban ward
    "Thị trấn": "township",        # township (legacy only)
    "Đặc khu": "special-zone",     # special zone (2025 only; island units with no lower tier)
}

LEVEL_RANK = {"province": 0, "district": 1, "commune": 2}
EDITIONS = ("2025", "legacy")


def nfc(value):
    """NFC-normalise, strip, and refuse characters that would break the TSV."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).strip()
    if any(ch in text for ch in "\t\r\n"):
        raise SystemExit("error: tab or newline inside a field: %r" % text)
    return text


def fmt_num(value, places):
    """Fixed decimal text for a float (no trailing zeros), '' if absent."""
    if value is None or value == "":
        return ""
    text = ("%." + str(places) + "f") % float(value)
    text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def split_type(name, table, what):
    """('Xã', 'commune', name) for 'Xã Quang Thuận'; the type word is the name's prefix.

    The prefix is matched case-insensitively and rewritten in its canonical
    case ('Thành Phố Bắc Kạn' -> 'Thành phố Bắc Kạn'); the third item is the
    possibly corrected name."""
    for word in sorted(table, key=len, reverse=True):
        head = name[:len(word)]
        if head.casefold() == word.casefold() and (len(name) == len(word) or name[len(word)] == " "):
            return word, table[word], word + name[len(word):]
    raise SystemExit("error: %s %r does not start with a known type word %s" % (what, name, sorted(table)))


def download(tmpdir, log):
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir",
           "%s==%s" % (PACKAGE, VERSION), "-d", tmpdir]
    log("running: " + " ".join(cmd))
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL if log is quiet_log else None)
    files = sorted(f for f in os.listdir(tmpdir) if f.startswith(PACKAGE))
    if not files:
        raise SystemExit("error: pip download produced no %s file in %s" % (PACKAGE, tmpdir))
    return os.path.join(tmpdir, files[0])


def read_archive(path):
    """Return {'dataset.db': bytes, 'converter_2025.json': bytes, 'METADATA': bytes} from a wheel or sdist."""
    wanted = {"data/dataset.db": "dataset.db", "data/converter_2025.json": "converter_2025.json"}
    found = {}

    def take(member_name, read):
        norm = member_name.replace("\\", "/")
        for suffix, key in wanted.items():
            if norm.endswith(PACKAGE + "/" + suffix) and key not in found:
                found[key] = read()
        if (norm.endswith(".dist-info/METADATA") or norm.endswith("/PKG-INFO")) and "METADATA" not in found:
            found["METADATA"] = read()

    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                take(info.filename, lambda info=info: zf.read(info))
    elif tarfile.is_tarfile(path):
        with tarfile.open(path) as tf:
            for member in tf.getmembers():
                if member.isfile():
                    take(member.name, lambda member=member: tf.extractfile(member).read())
    else:
        raise SystemExit("error: %s is neither a wheel (zip) nor an sdist (tar)" % path)
    missing = [k for k in ("dataset.db", "converter_2025.json") if k not in found]
    if missing:
        raise SystemExit("error: %s lacks %s" % (path, ", ".join(missing)))
    return found


def open_sqlite(blob, tmpdir):
    path = os.path.join(tmpdir, "dataset.db")
    with open(path, "wb") as fh:
        fh.write(blob)
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    db.row_factory = sqlite3.Row
    return db


def metadata_fields(blob):
    fields = {}
    if blob:
        for line in blob.decode("utf-8", "replace").splitlines():
            if not line.strip():
                break
            if ":" in line and not line.startswith(" "):
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
    return fields


def build(db, converter, warnings):
    """Return (units, lineage): units as dicts, lineage as (level, legacy_code, new_code, kind)."""
    units = {}   # (edition, code) -> dict
    keys = {"2025": {}, "legacy": {}}   # converter key -> code

    def add(edition, level, code, name, type_table, what, db_type, parent, province, lat="", lon="", area=""):
        code = nfc(code)
        name = nfc(name)
        if not code or not code.isdigit():
            raise SystemExit("error: bad %s code %r for %r" % (what, code, name))
        word, kind, fixed = split_type(name, type_table, what)
        if fixed != name:
            warnings.append("%s %s %s %r: type word recased to %r" % (edition, what, code, name, fixed))
            name = fixed
        if db_type is not None and nfc(db_type) != word:
            warnings.append("%s %s %s %r: dataset type field says %r, name says %r; using the name"
                            % (edition, what, code, name, nfc(db_type), word))
        # short_name = the name without its type word ('Quang Thuận'); numbered
        # units keep the type word ('Phường 5', 'Quận 1', 'Phường VII').  The
        # dataset's own short names are not used: they carry disambiguators
        # such as 'Kỳ Anh (Huyện)'.
        rest = name[len(word):].strip()
        short = name if (not rest or re.fullmatch(r"[0-9]+|[IVXLC]+", rest)) else rest
        unit = {"edition": edition, "level": level, "code": code, "type": kind, "name": name,
                "short": short, "parent": nfc(parent), "province": nfc(province),
                "lat": lat, "lon": lon, "area": area}
        old = units.get((edition, code))
        if old is not None:
            same = all(old[k] == unit[k] for k in ("type", "name", "parent", "province"))
            if not same:
                raise SystemExit("error: %s code %s used for %r and %r" % (edition, code, old["name"], name))
            return
        units[(edition, code)] = unit

    # --- edition 2025: provinces and communes (no district tier) ---
    for r in db.execute("SELECT * FROM admin_units ORDER BY provinceCode, wardCode"):
        add("2025", "province", r["provinceCode"], r["province"], PROVINCE_TYPES,
            "province", None, "", r["provinceCode"], fmt_num(r["provinceLat"], 5), fmt_num(r["provinceLon"], 5))
        add("2025", "commune", r["wardCode"], r["ward"], COMMUNE_TYPES,
            "commune", r["wardType"], r["provinceCode"], r["provinceCode"],
            fmt_num(r["wardLat"], 5), fmt_num(r["wardLon"], 5), fmt_num(r["wardAreaKm2"], 2))
        key = (r["provinceKey"], r["wardKey"])
        if key in keys["2025"]:
            raise SystemExit("error: duplicate 2025 key %r" % (key,))
        keys["2025"][key] = nfc(r["wardCode"])
        keys["2025"][r["provinceKey"]] = nfc(r["provinceCode"])

    # --- legacy edition: provinces, districts, communes ---
    # Coordinates of the legacy edition are deliberately not copied: the package
    # took them from the Google Geocoding API (see README.md).
    for r in db.execute("SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"):
        add("legacy", "province", r["provinceCode"], r["province"], PROVINCE_TYPES,
            "province", None, "", r["provinceCode"])
        add("legacy", "district", r["districtCode"], r["district"], DISTRICT_TYPES,
            "district", r["districtType"], r["provinceCode"], r["provinceCode"])
        old_key = "%s_%s_%s" % (r["provinceKey"], r["districtKey"], r["wardKey"] or "")
        if old_key in keys["legacy"]:
            raise SystemExit("error: duplicate legacy key %r" % old_key)
        if nfc(r["wardCode"]):
            add("legacy", "commune", r["wardCode"], r["ward"], COMMUNE_TYPES,
                "commune", r["wardType"], r["districtCode"], r["provinceCode"])
            keys["legacy"][old_key] = nfc(r["wardCode"])
        else:
            # A district with no communes (island districts); the converter maps
            # the district itself, so lineage uses the district code.
            warnings.append("legacy district %s %r has no communes; its lineage row uses the district code"
                            % (nfc(r["districtCode"]), nfc(r["district"])))
            keys["legacy"][old_key] = nfc(r["districtCode"])
        keys["legacy"][r["provinceKey"]] = nfc(r["provinceCode"])

    # --- lineage ---
    lineage = {}   # (level, legacy_code, new_code) -> kind

    def link(level, old_code, new_code, kind):
        k = (level, old_code, new_code)
        prev = lineage.get(k)
        if prev is not None and prev != kind:
            raise SystemExit("error: lineage %s -> %s is both %s and %s" % (old_code, new_code, prev, kind))
        lineage[k] = kind

    def code_of(edition, key, what):
        code = keys[edition].get(key)
        if code is None:
            raise SystemExit("error: converter_2025.json names unknown %s key %r" % (what, key))
        return code

    for new_pkey, old_pkeys in sorted(converter["DICT_PROVINCE"].items()):
        for old_pkey in old_pkeys:
            link("province", code_of("legacy", old_pkey, "legacy province"),
                 code_of("2025", new_pkey, "2025 province"), "whole")
    for new_pkey, wards in sorted(converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items()):
        for new_wkey, old_keys in sorted(wards.items()):
            new_code = code_of("2025", (new_pkey, new_wkey), "2025 commune")
            for old_key in old_keys:
                link("commune", code_of("legacy", old_key, "legacy commune"), new_code, "whole")
    for new_pkey, olds in sorted(converter["DICT_PROVINCE_WARD_DIVIDED"].items()):
        for old_key, targets in sorted(olds.items()):
            old_code = code_of("legacy", old_key, "legacy commune")
            defaults = [t for t in targets if t.get("isDefaultNewWard")]
            if len(defaults) != 1:
                warnings.append("split legacy commune %s has %d default targets" % (old_code, len(defaults)))
            for t in targets:
                new_code = code_of("2025", (new_pkey, t["newWardKey"]), "2025 commune")
                link("commune", old_code, new_code, "split-default" if t.get("isDefaultNewWard") else "split")

    return units, lineage


def render(units, lineage, meta):
    author = meta.get("Author", "Hieu Tran")
    home = meta.get("Home-page", "https://github.com/tranngocminhhieu/vietnamadminunits")
    lines = [
        "# CaseLine administrative units: two editions (2025 = from 1 July 2025; legacy = before) and old->new lineage.",
        "# Source: PyPI package %s %s by %s (%s), MIT licence; generated by Tools/units/build-units.py."
        % (PACKAGE, VERSION, author, home),
        "# Upstream data credited by the package: danhmuchanhchinh.gso.gov.vn, sapnhap.bando.com.vn.",
        "# UTF-8 NFC, tab-separated, one record per line; first column is the record kind. Empty field = unknown / not applicable.",
        "# U\tedition\tcode\ttype\tname\tshort_name\tparent_code\tprovince_code\tlat\tlon\tarea_km2",
        "#   edition: 2025|legacy; key = (edition, code); codes are digit strings with leading zeros (province 2, district 3, commune 5).",
        "#   type: province|city|district|urban-district|town|district-city|commune|ward|township|special-zone",
        "#   parent_code: same edition; empty for provinces; 2025 communes -> province; legacy communes -> district; districts -> province.",
        "#   lat/lon (WGS84 degrees) and area_km2: 2025 edition only.",
        "# L\tlegacy_code\tnew_code\tkind",
        "#   legacy_code is a legacy-edition code, new_code a 2025-edition code; kind: whole|split|split-default",
        "#   (whole = the entire old unit went into new_code; split = part of it did; split-default = the package's default part).",
        "#   Province rows map old province -> new province; island districts with no communes map district -> special zone.",
    ]
    ordered = sorted(units.values(),
                     key=lambda u: (EDITIONS.index(u["edition"]), LEVEL_RANK[u["level"]], u["code"]))
    for u in ordered:
        lines.append("\t".join(["U", u["edition"], u["code"], u["type"], u["name"], u["short"],
                                u["parent"], u["province"], u["lat"], u["lon"], u["area"]]))
    for (level, old, new), kind in sorted(lineage.items(),
                                          key=lambda kv: (len(kv[0][1]), kv[0][1], kv[0][2])):
        lines.append("\t".join(["L", old, new, kind]))
    text = "\n".join(lines) + "\n"
    return unicodedata.normalize("NFC", text).encode("utf-8")


def verify(units, lineage, warnings, log):
    ok = True
    count = Counter((u["edition"], u["level"]) for u in units.values())
    types = Counter((u["edition"], u["type"]) for u in units.values())

    def expect(label, actual, wanted, hard=True):
        nonlocal ok
        mark = "ok" if actual == wanted else ("MISMATCH (expected %s)" % wanted)
        log("  %-44s %6d  %s" % (label, actual, mark))
        if actual != wanted and hard:
            ok = False

    log("units:")
    expect("2025 provinces", count[("2025", "province")], 34)
    expect("2025 communes (xã/phường/đặc khu)", count[("2025", "commune")], 3321)
    expect("2025 districts", count[("2025", "district")], 0)
    expect("legacy provinces", count[("legacy", "province")], 63)
    log("  %-44s %6d" % ("legacy districts", count[("legacy", "district")]))
    log("  %-44s %6d" % ("legacy communes", count[("legacy", "commune")]))
    log("types:")
    for (edition, kind), n in sorted(types.items()):
        log("  %-44s %6d" % (edition + " " + kind, n))

    # lineage resolution and coverage
    for (level, old, new), kind in lineage.items():
        if ("legacy", old) not in units or ("2025", new) not in units:
            log("  ERROR lineage %s -> %s does not resolve" % (old, new))
            ok = False
    commune_pairs = [(o, n, k) for (lvl, o, n), k in lineage.items() if lvl == "commune"]
    kinds = Counter(k for _, _, k in commune_pairs)
    olds = {o for o, _, _ in commune_pairs}
    news = {n for _, n, _ in commune_pairs}
    legacy_communes = {u["code"] for u in units.values() if u["edition"] == "legacy" and u["level"] == "commune"}
    new_communes = {u["code"] for u in units.values() if u["edition"] == "2025" and u["level"] == "commune"}
    no_lineage = sorted(legacy_communes - olds)
    no_source = sorted(new_communes - news)
    per_old = Counter(o for o, _, _ in commune_pairs)
    per_new = Counter(n for _, n, _ in commune_pairs)
    log("lineage:")
    log("  %-44s %6d" % ("province pairs", sum(1 for (lvl, _, _) in lineage if lvl == "province")))
    log("  %-44s %6d" % ("commune-level pairs (all kinds)", len(commune_pairs)))
    for k in ("whole", "split", "split-default"):
        log("  %-44s %6d" % ("  kind " + k, kinds[k]))
    log("  %-44s %6d" % ("legacy units that were split", sum(1 for n in per_old.values() if n > 1)))
    log("  %-44s %6d" % ("max new communes per legacy commune", max(per_old.values() or [0])))
    log("  %-44s %6d" % ("max legacy sources per new commune", max(per_new.values() or [0])))
    log("  %-44s %6d %s" % ("legacy communes with no lineage", len(no_lineage), " ".join(no_lineage[:20])))
    log("  %-44s %6d %s" % ("2025 communes with no legacy source", len(no_source), " ".join(no_source[:20])))
    reused = sorted(c for c in new_communes if c in legacy_communes)
    self_line = sum(1 for c in reused if ("commune", c, c) in lineage)
    log("  %-44s %6d" % ("2025 commune codes also used in legacy", len(reused)))
    log("  %-44s %6d %s" % ("  ...of which lineage old==new code", self_line,
                            " ".join(c for c in reused if ("commune", c, c) not in lineage)))
    log("  %-44s %6d %s" % ("2025 commune codes new to the 2025 edition", len(new_communes) - len(reused),
                            " ".join(sorted(new_communes - legacy_communes))))
    warnings[:] = list(dict.fromkeys(warnings))   # one note per distinct fact, first-seen order
    if warnings:
        log("data notes (%d):" % len(warnings))
        for w in warnings:
            log("  - " + w)
    return ok


def quiet_log(_msg):
    pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", help="use this downloaded wheel/sdist instead of pip download")
    ap.add_argument("--output", default=DEFAULT_OUTPUT, help="output TSV (default: %(default)s)")
    ap.add_argument("--quiet", action="store_true", help="print only errors")
    args = ap.parse_args()
    log = quiet_log if args.quiet else (lambda msg: print(msg, flush=True))

    with tempfile.TemporaryDirectory(prefix="caseline-units-") as tmpdir:
        archive = args.wheel or download(tmpdir, log)
        blob = open(archive, "rb").read()
        digest = hashlib.sha256(blob).hexdigest()
        if os.path.basename(archive) == WHEEL_NAME and digest != WHEEL_SHA256:
            raise SystemExit("error: %s has SHA-256 %s, expected %s" % (archive, digest, WHEEL_SHA256))
        log("archive: %s (sha256 %s)" % (os.path.basename(archive), digest))
        files = read_archive(archive)
        meta = metadata_fields(files.get("METADATA"))
        if meta.get("Version", VERSION) != VERSION:
            raise SystemExit("error: archive is version %s, expected %s" % (meta.get("Version"), VERSION))
        db = open_sqlite(files["dataset.db"], tmpdir)
        converter = json.loads(files["converter_2025.json"].decode("utf-8"))
        warnings = []
        units, lineage = build(db, converter, warnings)
        db.close()

    ok = verify(units, lineage, warnings, log)
    data = render(units, lineage, meta)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, args.output)
    log("wrote %s: %d bytes, %d lines, sha256 %s"
        % (args.output, len(data), data.count(b"\n"), hashlib.sha256(data).hexdigest()))
    if not ok:
        print("error: verification failed (see above); the file was written for inspection", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
