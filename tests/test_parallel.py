"""Thread shares cover every position once, in whole chunks, in order."""

import pytest

from tryghedlib import parallel


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("length, chunk", [(0, 4), (1, 4), (10, 4), (12, 4), (1000, 7)])
def test_spans_cover_the_range_once(monkeypatch, threads, length, chunk):
    monkeypatch.setattr(parallel, "THREADS", threads)
    spans = parallel.map_spans(lambda start, stop: (start, stop), length, chunk)
    covered = [i for start, stop in spans for i in range(start, stop)]
    assert covered == list(range(length))
    assert len(spans) <= threads
    assert all(start % chunk == 0 for start, _ in spans)
