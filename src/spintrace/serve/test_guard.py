"""The request guard's rules, and the non-loopback write rule through the ASGI app."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient

from spintrace.serve import create_app
from spintrace.serve.guard import host_name, is_loopback_host, is_write, presented_key


def _no_embed(texts):
    return np.zeros((len(texts), 384), np.float32)


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("example.org", False), ("", False),
])
def test_loopback_hosts(host, loopback):
    assert is_loopback_host(host) is loopback


def test_compare_and_search_are_reads_even_though_they_post():
    assert not is_write("POST", "/compare") and not is_write("POST", "/search")
    assert is_write("POST", "/documents") and is_write("DELETE", "/documents/x")
    assert not is_write("GET", "/documents/x")


def test_key_from_either_header():
    assert presented_key({b"x-api-key": b"k1"}) == "k1"
    assert presented_key({b"authorization": b"Bearer k2"}) == "k2"
    assert presented_key({b"authorization": b"Basic abc"}) is None
    assert presented_key({}) is None


def test_writes_need_a_key_when_listening_beyond_loopback(tmp_path):
    app = create_app(index_dir=tmp_path / "index", host="0.0.0.0", embed=_no_embed)
    with TestClient(app) as http:
        refused = http.post("/documents", json={"text": "Some article text."})
        assert refused.status_code == 403 and "--api-key" in refused.json()["detail"]
        # reads stay open
        assert http.post("/compare", json={"source": "One text.", "suspect": "Another text."}).status_code == 200
    keyed = create_app(index_dir=tmp_path / "index", host="0.0.0.0", api_key="k", embed=_no_embed)
    with TestClient(keyed) as http:
        assert http.post("/documents", json={"text": "Some article text."}, headers={"X-API-Key": "k"}).status_code == 201


def test_loopback_server_accepts_anonymous_writes(tmp_path):
    with TestClient(create_app(index_dir=tmp_path / "index", embed=_no_embed), base_url="http://127.0.0.1:8000") as http:
        assert http.post("/documents", json={"text": "Some article text.", "id": "a"}).status_code == 201
        assert http.get("/documents/a").json()["text"] == "Some article text."


@pytest.mark.parametrize(("header", "name"), [
    ("127.0.0.1:8000", "127.0.0.1"), ("LOCALHOST", "localhost"), ("[::1]:8000", "::1"), ("::1", "::1"),
    ("news.example.org", "news.example.org"),
])
def test_host_names(header, name):
    assert host_name(header) == name


def test_loopback_server_refuses_rebound_host_names_and_cross_site_posts():
    app = create_app(embed=_no_embed, allowed_hosts=["spintrace.newsroom.internal"])
    pair = {"source": "One text.", "suspect": "Another text."}
    with TestClient(app, base_url="http://127.0.0.1:8000") as http:
        assert http.get("/health").status_code == 200
        assert http.get("/health", headers={"host": "localhost:8000"}).status_code == 200
        assert http.get("/health", headers={"host": "spintrace.newsroom.internal"}).status_code == 200
        rebound = http.get("/health", headers={"host": "attacker.example:8000"})
        assert rebound.status_code == 403 and "--allow-host" in rebound.json()["detail"]
        # a form on another site posting to this server is refused; this page's own posts are not
        cross = http.post("/compare", json=pair, headers={"sec-fetch-site": "cross-site"})
        assert cross.status_code == 403 and "cross-site" in cross.json()["detail"]
        assert http.post("/compare", json=pair, headers={"sec-fetch-site": "same-origin"}).status_code == 200
        # a browser without Sec-Fetch-Site still names the page's origin
        for origin in ("http://evil.example", "http://127.0.0.1:9999", "null"):
            refused = http.post("/compare", json=pair, headers={"origin": origin})
            assert refused.status_code == 403 and "cross-site" in refused.json()["detail"], origin
        assert http.post("/compare", json=pair, headers={"origin": "http://127.0.0.1:8000"}).status_code == 200


def test_over_long_article_is_refused_in_words():
    app = create_app(embed=_no_embed, max_text_chars=1000)
    with TestClient(app, base_url="http://127.0.0.1:8000") as http:
        resp = http.post("/compare", json={"source": "word " * 300, "suspect": "Another text."})
    assert resp.status_code == 422
    assert "too long for this server (1,500 characters; the limit is 1,000)" in resp.json()["detail"]


def test_work_beyond_the_queue_bound_is_turned_away():
    import asyncio
    import threading
    import time

    from spintrace.serve.service import Busy, ServeSettings, Workbench

    bench = Workbench(ServeSettings(workers=1, max_queued_per_worker=2), embed=_no_embed)
    release = threading.Event()

    async def scenario():
        until = time.monotonic() + 30
        held = [asyncio.ensure_future(bench.run(release.wait, deadline=until)) for _ in range(2)]
        await asyncio.sleep(0.05)
        with pytest.raises(Busy):
            await bench.run(lambda: None, deadline=until)
        # one running, one waiting: each counted once
        assert (bench.in_flight, bench.queued) == (1, 1)
        release.set()
        assert await asyncio.gather(*held) == [True, True]
        assert (bench.in_flight, bench.queued) == (0, 0)
        assert await bench.run(lambda: "free again", deadline=until) == "free again"

    try:
        asyncio.run(scenario())
    finally:
        bench.close()


def test_json_sent_by_curl_without_a_content_type_is_read_as_json():
    with TestClient(create_app(embed=_no_embed), base_url="http://127.0.0.1:8000") as http:
        resp = http.post("/compare", content=b'{"source": "One text here.", "suspect": "Another text here."}',
                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["source_text"] == "One text here."


def test_a_multipart_form_cut_off_in_transit_is_named_as_such():
    body = (b'--XyZ\r\nContent-Disposition: form-data; name="source"\r\n\r\nOne text about a bridge.\r\n'
            b'--XyZ\r\nContent-Disposition: form-data; name="suspect"\r\n\r\nAnother text about a bri')
    with TestClient(create_app(embed=_no_embed), base_url="http://127.0.0.1:8000") as http:
        cut = http.post("/compare", content=body, headers={"content-type": "multipart/form-data; boundary=XyZ"})
        whole = http.post("/compare", content=body + b"dge.\r\n--XyZ--\r\n",
                          headers={"content-type": "multipart/form-data; Boundary=\"XyZ\""})
    # it used to answer "suspect: missing or empty text"
    assert cut.status_code == 422 and "cut off" in cut.json()["detail"], cut.text
    assert whole.status_code == 200, whole.text


def test_two_files_for_one_field_are_refused_not_silently_one_of_them():
    text = b"The council approved the new bridge on Monday after a long debate."
    with TestClient(create_app(embed=_no_embed), base_url="http://127.0.0.1:8000") as http:
        resp = http.post("/compare", files=[("source", ("a.txt", text, "text/plain")), ("source", ("b.txt", text, "text/plain")),
                                            ("suspect", ("c.txt", text, "text/plain"))])
    assert resp.status_code == 422 and "field 'source' has two files" in resp.json()["detail"], resp.text
