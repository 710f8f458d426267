"""The cache of validated agendas makes a start faster, never different."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from runofshow.core.agenda_cache import AgendaCache
from runofshow.core.loader import load_agenda
from runofshow.core.problems import AgendaError
from runofshow.resources import default_agenda


@pytest.fixture
def agenda_file(tmp_path: Path) -> Path:
    path = tmp_path / "show.yaml"
    path.write_bytes(default_agenda().read_bytes())
    return path


def test_a_cached_agenda_equals_the_loaded_one(tmp_path: Path, agenda_file: Path) -> None:
    """First load stores, second load reads the store; both equal the loader's agenda."""
    cache = AgendaCache(tmp_path / "cache")
    first = cache.load(agenda_file)
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1
    second = cache.load(agenda_file)
    assert first == second == load_agenda(agenda_file)
    assert second.path == agenda_file


def test_an_edited_file_is_loaded_afresh(tmp_path: Path, agenda_file: Path) -> None:
    """A saved change (new bytes) is a new key: the edit shows, the old entry is not used."""
    cache = AgendaCache(tmp_path / "cache")
    cache.load(agenda_file)
    text = agenda_file.read_text(encoding="utf-8").replace("duration: 5m", "duration: 6m", 1)
    agenda_file.write_text(text, encoding="utf-8")
    assert cache.load(agenda_file).segments[0].duration_s == 360


def test_errors_come_from_the_loader_and_are_not_stored(tmp_path: Path) -> None:
    """A broken agenda raises the loader's AgendaError and leaves nothing in the cache."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("event: [\n", encoding="utf-8")
    cache = AgendaCache(tmp_path / "cache")
    with pytest.raises(AgendaError) as caught:
        cache.load(broken)
    with pytest.raises(AgendaError) as direct:
        load_agenda(broken)
    assert [p.format() for p in caught.value.problems] == [
        p.format() for p in direct.value.problems
    ]
    assert not list((tmp_path / "cache").glob("*"))


def test_a_missing_file_is_worded_by_the_loader(tmp_path: Path) -> None:
    """No file: the same 'no such file' problem as without a cache."""
    with pytest.raises(AgendaError, match="no such file"):
        AgendaCache(tmp_path / "cache").load(tmp_path / "nowhere.yaml")


def test_a_corrupt_entry_falls_back_to_the_loader(
    tmp_path: Path, agenda_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A truncated entry (a crash mid-write elsewhere) is ignored, logged and rewritten."""
    cache = AgendaCache(tmp_path / "cache")
    cache.load(agenda_file)
    (entry,) = (tmp_path / "cache").glob("*.json")
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2])
    assert cache.load(agenda_file) == load_agenda(agenda_file)
    assert f"ignoring agenda cache entry {entry}" in caplog.text
    assert entry.read_bytes() == good


def test_an_unwritable_cache_folder_still_loads(tmp_path: Path, agenda_file: Path) -> None:
    """A cache folder that cannot be created (a file is in the way) costs only speed."""
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", encoding="utf-8")
    assert AgendaCache(blocker).load(agenda_file) == load_agenda(agenda_file)


def test_the_same_bytes_elsewhere_are_a_different_entry(tmp_path: Path, agenda_file: Path) -> None:
    """Relative video paths resolve against the file's folder, so the path is in the key."""
    other = tmp_path / "copy" / "show.yaml"
    other.parent.mkdir()
    other.write_bytes(agenda_file.read_bytes())
    cache = AgendaCache(tmp_path / "cache")
    cache.load(agenda_file)
    assert cache.load(other).path == other
    assert len(list((tmp_path / "cache").glob("*.json"))) == 2
    assert os.path.exists(other)


def test_an_oversized_file_is_not_read_whole_and_gets_the_loaders_error(tmp_path):
    """A file past the 1 MiB cap goes to the loader, whose error names where it is crossed."""
    import pytest

    from runofshow.core.agenda_cache import CACHEABLE_BYTES, AgendaCache
    from runofshow.core.problems import AgendaError
    from runofshow.core.yamlsource import MAX_BYTES

    assert CACHEABLE_BYTES == MAX_BYTES
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 10))
    with pytest.raises(AgendaError) as error:
        AgendaCache(tmp_path / "cache").load(big)
    assert "at most" in str(error.value)
    assert not (tmp_path / "cache").exists()


def test_the_start_up_digest_is_sha256() -> None:
    """The built-in SHA-256 used at start-up gives hashlib's digests, so journals written
    by either still match."""
    import hashlib

    from runofshow.core.digest import sha256

    data = default_agenda().read_bytes()
    assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()


def test_two_threads_storing_the_same_agenda_leave_one_good_entry(
    tmp_path: Path, agenda_file: Path
) -> None:
    """The window checks a saved agenda on a worker thread while Ctrl+R may load the same
    file: both store it, each through its own temporary file, and the entry reads back."""
    import threading

    cache = AgendaCache(tmp_path / "cache")
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.load(agenda_file))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 4 and all(r == results[0] for r in results)
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1
    assert not list((tmp_path / "cache").glob("*.tmp"))
    assert AgendaCache(tmp_path / "cache").load(agenda_file) == results[0]
