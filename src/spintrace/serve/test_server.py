"""The REST API over real HTTP: a ``spintrace serve`` process on loopback, driven with httpx."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

import pytest

from conftest import shared_path
from spintrace.serve.conftest import SEED_SOURCE_ID, ServerProcess, start_server, stop_server


@pytest.fixture(scope="module")
def cli_json(seed_files, needs_model) -> dict:
    """What ``spintrace compare --format json`` prints for the seed pair."""
    out = subprocess.run(
        [sys.executable, "-m", "spintrace", "compare", str(seed_files[0]), str(seed_files[1]), "--format", "json"],
        capture_output=True, text=True, check=True,
        # the same embedder threading as the servers (conftest.start_server), so float sums agree
        env={**os.environ, "SPINTRACE_THREADS": os.environ.get("SPINTRACE_THREADS", "2")},
    )
    return json.loads(out.stdout)


def test_compare_json_matches_the_cli(server: ServerProcess, seed_pair, cli_json):
    source, suspect = seed_pair
    with server.client() as http:
        resp = http.post("/compare", json={"source": source, "suspect": suspect})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["verdict"] == cli_json["verdict"]
    assert body["score"] == cli_json["score"]
    assert body["passages"] == cli_json["passages"]
    assert body == cli_json
    assert body["reused"] is True


def test_compare_uploaded_files_and_report_fragment(server: ServerProcess, seed_files, cli_json):
    with server.client() as http:
        resp = http.post(
            "/compare", params={"report": "true"},
            files={"source": ("source.txt", seed_files[0].read_bytes(), "text/plain"),
                   "suspect": ("suspect.txt", seed_files[1].read_bytes(), "text/plain")},
        )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    fragment = body.pop("report_html")
    assert body == cli_json
    assert fragment.startswith('<div class="spintrace-report">')
    assert f"v-{cli_json['verdict']}" in fragment
    # the report names the uploaded files, as the CLI's HTML report names its inputs
    assert "source.txt" in fragment and "suspect.txt" in fragment


def test_compare_html_upload_is_reduced_to_main_text(server: ServerProcess, seed_pair):
    source, suspect = seed_pair
    paragraphs = "".join(f"<p>{p}</p>" for p in suspect.split("\n\n") if p.strip())
    page = f"<!DOCTYPE html><html><head><title>x</title></head><body><nav>Home | World</nav><article>{paragraphs}</article></body></html>"
    with server.client() as http:
        resp = http.post("/compare", files={"source": ("source.txt", source.encode(), "text/plain"),
                                            "suspect": ("copy.html", page.encode(), "text/html")})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["reused"] is True
    assert "<p>" not in body["suspect_text"]


def test_search_ranks_the_seed_source_first(server: ServerProcess, seed_pair):
    _, suspect = seed_pair
    with server.client() as http:
        resp = http.post("/search", json={"text": suspect, "limit": 3})
    assert resp.status_code == 200, resp.text
    hits = resp.json()["hits"]
    assert 1 <= len(hits) <= 3
    # The session's server is shared: the browser test adds a copy of the suspect as "test/...".
    seed_hit = [h for h in hits if not h["id"].startswith("test/")][0]
    assert seed_hit["id"] == SEED_SOURCE_ID
    assert seed_hit["reused"] is True and seed_hit["verdict"] in ("verbatim", "paraphrase", "partial")
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    # opening a hit gives the comparison the search ranked it by
    with server.client() as http:
        opened = http.post("/compare", json={"source_id": SEED_SOURCE_ID, "suspect": suspect}).json()
    assert (opened["verdict"], opened["score"]) == (seed_hit["verdict"], seed_hit["score"])


def test_documents_get_add_and_compare_by_id(server: ServerProcess, seed_pair):
    source, suspect = seed_pair
    with server.client() as http:
        doc = http.get(f"/documents/{SEED_SOURCE_ID}")
        assert doc.status_code == 200
        assert doc.json()["text"] == source
        missing = http.get("/documents/no-such-article")
        assert missing.status_code == 404 and "no-such-article" in missing.json()["detail"]

        text = "A new article about harbour cranes in Rotterdam. " * 3 + "The port authority approved it on Friday."
        added = http.post("/documents", json={"id": "test/added", "title": "Cranes", "text": text})
        assert added.status_code == 201, added.text
        assert added.json()["id"] == "test/added"
        assert http.get("/documents/test/added").json()["title"] == "Cranes"
        for bad in ({"id": "test/bad-date", "text": text, "published": "yesterday-ish"},
                    {"id": "test/\ud800", "text": text}):
            refused = http.post("/documents", content=json.dumps(bad).encode(), headers={"content-type": "application/json"})
            assert refused.status_code == 422, refused.text
        assert http.get("/documents/test/bad-date").status_code == 404
        hits = http.post("/search", json={"text": text}).json()["hits"]
        assert hits[0]["id"] == "test/added" and hits[0]["verdict"] == "verbatim"

        by_id = http.post("/compare", json={"source_id": SEED_SOURCE_ID, "suspect": suspect})
        assert by_id.status_code == 200 and by_id.json()["reused"] is True
        unknown = http.post("/compare", json={"source_id": "nope", "suspect": suspect})
        assert unknown.status_code == 404


def test_a_sites_template_is_not_evidence_in_search_trace_or_a_hit_opened_by_id(server: ServerProcess):
    footer = ("Follow the Harbour Gazette on social media for more local stories. Subscribe to our evening "
              "bulletin to get the headlines in your inbox. No part of this page may be copied without consent.")
    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        articles = [json.loads(line) for line in islice(fh, 1900, 1906)]
    *pages, unseen = articles
    with server.client() as http:
        for a in pages:
            added = http.post("/documents", json={"id": f"gazette/{a['id']}", "text": f"{a['text']}\n\n{footer}",
                                                  "site": "gazette.example"})
            assert added.status_code == 201, added.text
        suspect = f"{unseen['text']}\n\n{footer}"
        hits = http.post("/search", json={"text": suspect}).json()["hits"]
        assert not [h["id"] for h in hits if h["reused"]]
        assert not http.post("/trace", json={"text": suspect}).json()["sources"]
        # opened by id with a text no search compared, the footer is left out as search leaves it out
        opened = http.post("/compare", json={"source_id": f"gazette/{pages[0]['id']}", "suspect": suspect + " "})
        assert opened.status_code == 200 and opened.json()["reused"] is False


@pytest.mark.parametrize(
    ("kwargs", "status", "phrase"),
    [
        ({"content": b'{"source": "a", "suspect": ', "headers": {"content-type": "application/json"}}, 422, "malformed JSON"),
        ({"content": b"[1, 2]", "headers": {"content-type": "application/json"}}, 422, "must be an object"),
        ({"json": {"source": "Some text here."}}, 422, "suspect"),
        ({"json": {"source": "   ", "suspect": "Some text."}}, 422, "source"),
        ({"json": {"source": 42, "suspect": "Some text."}}, 422, "must be a string"),
        ({"json": {"source": "bin\x00\x01\x02" * 50, "suspect": "Some text."}}, 422, "binary"),
        ({"files": {"source": ("report.pdf", b"%PDF-1.7 ...", "application/pdf"),
                    "suspect": ("b.txt", b"Some text.", "text/plain")}}, 422, "unsupported file type '.pdf'"),
        ({"files": {"source": ("photo.png", b"\x89PNG\r\n", "image/png"),
                    "suspect": ("b.txt", b"Some text.", "text/plain")}}, 422, "unsupported file type"),
        ({"files": {"source": ("latin1.txt", "caf\xe9 ol\xe9".encode("latin-1"), "text/plain"),
                    "suspect": ("b.txt", b"Some text.", "text/plain")}}, 422, "not valid UTF-8"),
        # a field that is not UTF-8 was read as Latin-1 (multipart) or with U+FFFD (URL-encoded), silently
        ({"files": {"source": (None, "caf\xe9 ol\xe9 \u201cquoted\u201d".encode("cp1252")), "suspect": (None, b"Some text.")}},
         422, "source: not valid UTF-8 (byte 3)"),
        ({"content": b"source=caf%E9+ol%E9&suspect=Some+text.", "headers": {"content-type": "application/x-www-form-urlencoded"}},
         422, "source: not valid UTF-8 (byte 3)"),
        ({"content": b"source=x", "headers": {"content-type": "text/csv"}}, 415, "Content-Type"),
        ({"content": b"[" * 100_000, "headers": {"content-type": "application/json"}}, 422, "nested too deeply"),
        ({"content": b'{"source": "a \\ud800", "suspect": "b"}', "headers": {"content-type": "application/json"}},
         422, "unpaired"),
        ({"json": {"source": "Some text.", "suspect": "Other text.", "source_published": "yesterday-ish"}},
         422, "not a date"),
    ],
    ids=["truncated-json", "json-array", "missing-suspect", "blank-source", "number", "binary-text",
         "pdf-upload", "png-upload", "latin1-upload", "cp1252-form-field",
         "latin1-urlencoded-field", "csv-body", "deep-json", "lone-surrogate", "bad-date"],
)
def test_bad_requests_get_a_4xx_with_a_message(server: ServerProcess, kwargs, status, phrase):
    with server.client() as http:
        resp = http.post("/compare", **kwargs)
    assert resp.status_code == status, resp.text
    detail = resp.json()["detail"]
    assert isinstance(detail, str) and phrase in detail


def test_body_over_the_default_limit_is_refused_with_413(server: ServerProcess):
    big = b'{"source": "' + b"word " * 1_100_000 + b'", "suspect": "x"}'  # about 5.5 MB
    with server.client() as http:
        resp = http.post("/compare", content=big, headers={"content-type": "application/json"})
        assert resp.status_code == 413
        assert "5 MB" in resp.json()["detail"]

        def chunks():  # no Content-Length: the limit must hold on the stream as well
            for i in range(0, len(big), 65536):
                yield big[i : i + 65536]

        streamed = http.post("/compare", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413


def test_health_answers_while_comparisons_run(server: ServerProcess, seed_pair):
    source, suspect = seed_pair
    long_source, long_suspect = "\n\n".join([source] * 2), "\n\n".join([suspect] * 2)
    with server.client() as http, ThreadPoolExecutor(4) as pool:
        jobs = [pool.submit(http.post, "/compare", json={"source": long_source, "suspect": long_suspect})
                for _ in range(4)]
        busy_answers = []
        while not all(j.done() for j in jobs):
            health = http.get("/health", timeout=10.0)
            assert health.status_code == 200
            if health.json()["in_flight"] > 0:
                busy_answers.append(health.json()["in_flight"])
            time.sleep(0.05)
        assert all(j.result().status_code == 200 for j in jobs)
    # health was answered while comparisons were running, not only between them
    assert busy_answers
    payload = http_get_json(server, "/health")
    assert payload["model_loaded"] is True and payload["status"] == "ok"
    assert payload["index"]["documents"] >= 2
    assert (payload["in_flight"], payload["queued"]) == (0, 0)
    assert isinstance(payload["limits"]["max_request_bytes"], int) and isinstance(payload["limits"]["max_text_chars"], int)
    with server.client() as http:
        head = http.head("/health")  # uptime checkers probe with HEAD
    assert head.status_code == 200 and head.content == b""


def http_get_json(server: ServerProcess, path: str) -> dict:
    with server.client() as http:
        resp = http.get(path)
    assert resp.status_code == 200
    return resp.json()


def test_schema_docs_and_page_are_self_contained(server: ServerProcess):
    schema = http_get_json(server, "/openapi.json")
    for path in ("/compare", "/search", "/documents", "/documents/{doc_id}", "/health"):
        assert path in schema["paths"]
    assert set(schema["paths"]["/compare"]["post"]["requestBody"]["content"]) == {
        "application/json", "multipart/form-data"}
    with server.client() as http:
        docs = http.get("/docs")
        page = http.get("/")
        assets = [http.get(f"/static/{name}") for name in ("app.js", "app.css", "report.js", "report.css")]
        assert http.get("/static/../../etc/passwd").status_code == 404
        assert http.get("/static/conftest.py").status_code == 404
    assert docs.status_code == 200 and "/compare" in docs.text
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for resp in (docs, page, *assets):
        assert resp.status_code == 200
        # no CDN, no external fonts or scripts: everything the page loads comes from this server
        assert "http://" not in resp.text.replace("http://127.0.0.1:8000", "") and "https://" not in resp.text


def test_api_key_is_required_for_every_request(strict_server: ServerProcess, seed_pair):
    source, suspect = seed_pair
    with strict_server.client() as http:
        for method, path in (("GET", "/health"), ("GET", "/openapi.json"), ("POST", "/compare"),
                             ("POST", "/search"), ("GET", "/documents/x"), ("POST", "/documents")):
            anonymous = http.request(method, path)
            assert anonymous.status_code == 401, (method, path)
            assert "API key" in anonymous.json()["detail"]
            wrong = http.request(method, path, headers={"X-API-Key": "guess"})
            assert wrong.status_code == 403, (method, path)
        assert http.get("/health", headers={"X-API-Key": "s3cret-key"}).status_code == 200
        assert http.get("/health", headers={"Authorization": "Bearer s3cret-key"}).json()["auth_required"] is True
        # the page shell holds no data; it loads so that it can ask for the key
        assert http.get("/").status_code == 200


def test_size_and_time_limits(strict_server: ServerProcess, seed_pair):
    source, suspect = seed_pair
    key = {"X-API-Key": "s3cret-key"}
    with strict_server.client(headers=key) as http:
        too_big = http.post("/compare", json={"source": source * 10, "suspect": suspect})
        assert too_big.status_code == 413 and "0.05 MB" in too_big.json()["detail"]
        too_slow = http.post("/compare", json={"source": source, "suspect": suspect})
        assert too_slow.status_code == 408
        assert "time limit" in too_slow.json()["detail"]
        # the server is still healthy afterwards
        assert http.get("/health").status_code == 200


def test_search_without_an_index_says_how_to_get_one(strict_server: ServerProcess):
    with strict_server.client(headers={"X-API-Key": "s3cret-key"}) as http:
        resp = http.post("/search", json={"text": "anything"})
    assert resp.status_code == 503
    assert "--index" in resp.json()["detail"]


def test_unknown_route_and_method(server: ServerProcess):
    with server.client() as http:
        assert http.get("/nope").status_code == 404
        assert http.get("/compare").status_code == 405


def test_unusable_index_stops_serve_with_one_line(tmp_path, needs_model):
    not_an_index = tmp_path / "notes.txt"
    not_an_index.write_text("hello", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "spintrace", "serve", "--index", str(not_an_index), "--port", "0"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert out.stderr.strip().startswith("spintrace: error:") and len(out.stderr.strip().splitlines()) == 1
    assert "not an index directory" in out.stderr


def test_a_port_in_use_or_a_host_that_does_not_resolve_stops_serve_with_one_line(server: ServerProcess):
    busy_port = server.url.rsplit(":", 1)[1]
    for args, phrase in ((["--host", "127.0.0.1", "--port", busy_port], "cannot listen on 127.0.0.1:"),
                         (["--host", "no-such-host.invalid", "--port", "0"], "cannot resolve")):
        out = subprocess.run([sys.executable, "-m", "spintrace", "serve", *args], capture_output=True, text=True,
                             timeout=120)
        err = out.stderr.strip()
        assert out.returncode == 2 and len(err.splitlines()) == 1 and phrase in err, (args, err)


def _compilation(seed_suspect: str) -> tuple[str, str]:
    """The seed suspect's first half followed by an indexed BBC article's paragraphs, verbatim."""
    with shared_path("bbc-news", "articles.jsonl").open(encoding="utf-8") as fh:
        article = json.loads(next(islice(fh, 3, 4)))
    seed = [p for p in seed_suspect.split("\n\n") if p.strip()]
    bbc = [p for p in article["text"].split("\n\n") if p.strip()]
    return "\n\n".join(seed[: len(seed) // 2] + bbc[: max(3, len(bbc) // 2)]), article["id"]


def test_trace_attributes_each_half_of_a_compilation_to_its_source(server: ServerProcess, seed_pair):
    text, bbc_id = _compilation(seed_pair[1])
    with server.client() as http:
        resp = http.post("/trace?report=true", json={"text": text})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    ids = [s["id"] for s in body["sources"]]
    assert bbc_id in ids
    # the shared session server may also hold the browser test's copy of the seed suspect
    assert any(i == SEED_SOURCE_ID or i.startswith("test/") for i in ids)
    assert all(0 < s["share"] < 1 for s in body["sources"])
    assert body["attributed_share"] > 0.6
    for p in body["passages"]:
        assert p["source_id"] in ids and 0 <= p["suspect_start"] < p["suspect_end"] <= len(text)
    assert 'class="st-trace"' in body["report_html"] and "<script" not in body["report_html"]
    with server.client() as http:
        empty = http.post("/trace", json={"text": "   "})
    assert empty.status_code == 422


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() == 0 and not Path("/usr/bin/setpriv").exists(), reason="needs setpriv to drop root's override")
def test_a_read_only_index_is_served_for_reading_and_refuses_additions_with_403(tmp_path, needs_model, seed_files):
    from spintrace.index import Index

    folder = tmp_path / "idx"
    source = seed_files[0].read_text(encoding="utf-8")
    with Index(folder) as index:
        index.add(source, id="seed/source")
    (folder / "index.sqlite").chmod(0o444)
    folder.chmod(0o555)
    # root writes anywhere; without CAP_DAC_OVERRIDE it is held to the permission bits
    prefix = ("setpriv", "--inh-caps=-all", "--bounding-set=-all", "--") if os.geteuid() == 0 else ()
    server = start_server("--index", str(folder), prefix=prefix)
    try:
        with server.client() as http:
            health = http.get("/health").json()
            found = http.post("/search", json={"text": source, "limit": 1})
            added = http.post("/documents", json={"text": "A new article about the council and its bridge plan.", "id": "new"})
        assert health["index"]["documents"] == 1
        assert found.status_code == 200 and found.json()["hits"][0]["id"] == "seed/source", found.text
        assert added.status_code == 403 and "read-only" in added.json()["detail"], added.text
    finally:
        stop_server(server)
        folder.chmod(0o755)
        (folder / "index.sqlite").chmod(0o644)


def test_a_typed_text_comes_back_as_sent(server: ServerProcess, seed_pair):
    """Offsets index the client's own string: a leading U+FEFF was dropped from JSON strings
    (decoded again as if a file), and a form's CRLF line breaks (what browsers send for a text
    box) were kept, so offsets counted characters the user never pasted."""
    source, suspect = seed_pair
    with server.client() as http:
        marked = http.post("/compare", json={"source": "\ufeff" + source, "suspect": suspect}).json()
        assert marked["source_text"] == "\ufeff" + source
        as_form = http.post("/compare", files={"source": (None, source.replace("\n", "\r\n").encode()),
                                               "suspect": (None, suspect.replace("\n", "\r\n").encode())}).json()
        as_json = http.post("/compare", json={"source": source, "suspect": suspect}).json()
    assert as_form["source_text"] == source and as_form["suspect_text"] == suspect
    assert as_form["passages"] == as_json["passages"]


def test_compare_and_trace_answer_exactly_what_the_schema_documents(server: ServerProcess, seed_pair):
    """The two main answers were `{}` and a bare object in /openapi.json; their models forbid
    any field they do not name, so the schema and the code cannot drift apart."""
    from spintrace.serve import schemas

    source, suspect = seed_pair
    openapi = http_get_json(server, "/openapi.json")
    for path, model in (("/compare", "CompareResponse"), ("/trace", "TraceResponse")):
        answer = openapi["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer == {"$ref": f"#/components/schemas/{model}"}
    with server.client() as http:
        compared = http.post("/compare?report=true", json={"source": source, "suspect": suspect}).json()
        traced = http.post("/trace?report=true", json={"text": suspect}).json()
    schemas.CompareResponse.model_validate(compared)
    schemas.TraceResponse.model_validate(traced)
    assert compared["passages"] and compared["passages"][0]["links"][0]["edits"] and traced["sources"]


def test_the_utf8_check_reads_only_a_forms_fields():
    """Only fields are checked: not the preamble or epilogue around the parts (a non-UTF-8
    epilogue was "request: not valid UTF-8"), not a file named by ``filename*`` alone."""
    from spintrace.serve.inputs import _form_field_bytes

    body = (b"preamble \xff\r\n--XyZ\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\ncaf\xc3\xa9\r\n"
            b"--XyZ\r\ncontent-disposition: form-data; name=\"upload\"; filename*=UTF-8''a.txt\r\n\r\n\xe9\r\n"
            b"--XyZ\r\nContent-Disposition: form-data; name=\"suspect\"\r\n\r\nline1\r\nline2\r\n--XyZ--\r\nepilogue \xff")
    assert _form_field_bytes("multipart/form-data; boundary=XyZ", body) == [
        ("source", "café".encode()), ("suspect", b"line1\r\nline2")]


def test_the_documented_answer_covers_a_translated_copy_too():
    """A cross-language comparison carries its own features and links without edits: still the
    documented answer, field for field."""
    from pathlib import Path

    import spintrace
    from spintrace.serve import schemas

    fixtures = Path(__file__).resolve().parents[1] / "pipeline" / "fixtures_translated"
    source = (fixtures / "source.en.txt").read_text(encoding="utf-8")
    translation = (fixtures / "translation.fr.txt").read_text(encoding="utf-8")
    answer = schemas.CompareResponse.model_validate(spintrace.compare(source, translation).to_dict())
    assert answer.reused and answer.suspect_language == "fr"
