"""py3langid's language model, loaded once per process as quickly as it can be.

The model ships as an LZMA-compressed file: unpacking it is 0.5 s of the 0.7 s a
process pays before its first detection, and its feature table is stored in
float16, which numpy converts element by element for every text scored.

The first process unpacks the model into PORTAL_CACHE_DIR, the feature table in
float32; later processes read that copy and map the table instead of loading it,
so its pages are read as texts use them and shared between processes. When the
folder cannot be written the model is loaded as shipped and each row of its table
is converted the first time a text uses it (`Float32Rows`). Both ways give the
same scores as the stock model, bit for bit.
"""

import functools
import hashlib
import json
import logging
import shutil
import tempfile
from array import array
from pathlib import Path

import numpy
import py3langid
from django.conf import settings
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import load_model

logger = logging.getLogger(__name__)

SHIPPED_MODEL = Path(MODEL_DIR) / MODEL_FILE
# The parts of a model, in the order py3langid's load_model returns them.
PARTS = ("ptc", "pc", "classes", "nextmove", "row", "output")
# array.array type codes by item size, as py3langid stores the state machine.
TYPECODES = {2: "H", 4: "I", 8: "Q"}


@functools.cache
def language_identifier():
    """py3langid's identifier, from the unpacked copy where there is one."""
    folder = unpacked_folder()
    try:
        if not folder.is_dir():
            unpack(load_model(SHIPPED_MODEL), folder)
        return _identifier(_read_unpacked(folder))
    except (OSError, ValueError) as error:
        logger.warning("Language model loaded as shipped: %s", error)
    identifier = py3langid.langid._load_identifier()
    identifier.nb_ptc = Float32Rows(identifier.nb_ptc)
    return identifier


def unpacked_folder():
    """Where this model's unpacked copy goes: named by the shipped file's digest,
    so another version of py3langid never reads a stale copy."""
    digest = hashlib.sha256(SHIPPED_MODEL.read_bytes()).hexdigest()[:16]
    return Path(settings.PORTAL_CACHE_DIR) / f"langid-{digest}"


def unpack(model, folder):
    """Write the model's parts as .npy files, in a temporary folder renamed at the
    end: a reader never sees half a copy, and of two processes unpacking at
    once the second one's rename fails and its copy is dropped."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=folder.parent))
    try:
        for name, part in zip(PARTS, model, strict=True):
            _save(building, name, part)
        building.rename(folder)
    except OSError:
        if not folder.is_dir():
            raise
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _save(folder, name, part):
    if name == "classes":
        (folder / "classes.json").write_text(json.dumps(part), "utf-8")
        return
    if name == "ptc":
        part = numpy.asarray(part, dtype=numpy.float32)
    elif isinstance(part, array):
        part = numpy.frombuffer(part, dtype=f"u{part.itemsize}")
    numpy.save(folder / f"{name}.npy", numpy.asarray(part), allow_pickle=False)


def _read_unpacked(folder):
    """The parts as load_model returns them; the feature table mapped, not read."""
    parts = []
    for name in PARTS:
        if name == "classes":
            parts.append(json.loads((folder / "classes.json").read_text("utf-8")))
            continue
        mode = "r" if name == "ptc" else None
        parts.append(numpy.load(folder / f"{name}.npy", mmap_mode=mode))
    ptc, pc, classes, nextmove, row, output = parts
    whole = ptc.ndim == 2 and ptc.shape[1] == len(pc) == len(classes)
    if ptc.dtype != numpy.float32 or not whole:
        raise ValueError(f"{folder} does not hold a language model")
    return ptc, pc, classes, _stdlib_array(nextmove), _stdlib_array(row), output


def _stdlib_array(values):
    """A numpy vector as the stdlib array py3langid walks its state machine on
    (indexing it is several times faster than indexing numpy)."""
    found = array(TYPECODES[values.dtype.itemsize])
    found.frombytes(memoryview(numpy.ascontiguousarray(values)).cast("B"))
    return found


def _identifier(parts):
    ptc, pc, classes, nextmove, row, output = parts
    return LanguageIdentifier(ptc, pc, classes, nextmove, output.tolist(), tk_row=row)


class Float32Rows:
    """The model's float16 feature table, read as float32 rows, each converted
    the first time a text uses it.

    A text's score multiplies float32 counts by the table rows of its features:
    numpy converts the float16 rows one element at a time for every text, a
    third of the time of a detection. Rows kept converted give the same float32
    sums, so the same scores; untouched rows of the converted copy take no
    memory, and nothing is paid up front.
    """

    def __init__(self, table):
        self.table = table
        self.rows = numpy.empty(table.shape, numpy.float32)
        self.ready = numpy.zeros(len(table), bool)

    def __getitem__(self, index):
        missing = index[~self.ready[index]]
        if len(missing):
            self.rows[missing] = self.table[missing]
            self.ready[missing] = True
        return self.rows[index]
