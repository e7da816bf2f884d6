"""Request bodies are bounded before anything parses them, whatever server runs the application:
an oversized body is answered 413 without being read (declared) or once the limit is passed
(chunked), and a form the parser cannot read is 400, not 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from webob import Request
from webtest import Upload

from intranet.duties.models import Evidence
from intranet.limits import MAX_FIELDS, MAX_FORM_BYTES

GB = 1024**3
CHUNK = 65536
BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW"


class EndlessBody:
    """A client's body of ``size`` bytes, produced as it is read; counts what the server read."""

    def __init__(self, size: int, head: bytes = b"", fill: bytes = b"a"):
        self.size, self.head, self.fill = size, head, fill
        self.read_bytes = 0

    def _take(self, n: int) -> bytes:
        n = min(n, self.size - self.read_bytes)
        start = self.read_bytes
        self.read_bytes += n
        head = self.head[start : start + n]
        return head + self.fill * (n - len(head))

    def read(self, size=-1):
        return self._take(self.size if size is None or size < 0 else size)

    def readline(self, size=-1):
        return self._take(CHUNK if size is None or size < 0 else min(size, CHUNK))


class UnreadableBody:
    """A body that must not be read at all."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def call(testapp, path, body, content_type, content_length=None):
    """Run one request through the whole WSGI stack, with ``body`` as its input stream."""
    environ = Request.blank(path, method="POST").environ
    environ.update(testapp.extra_environ)
    environ["CONTENT_TYPE"] = content_type
    environ.pop("CONTENT_LENGTH", None)
    if content_length is None:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        environ["wsgi.input_terminated"] = True  # what gunicorn says of a chunked body
    else:
        environ["CONTENT_LENGTH"] = str(content_length)
    environ["wsgi.input"] = body
    status = []
    chunks = testapp.app(environ, lambda s, h, exc_info=None: status.append((s, dict(h))))
    text = b"".join(chunks).decode("utf-8")
    getattr(chunks, "close", lambda: None)()
    return int(status[0][0].split()[0]), status[0][1], text


def test_a_declared_oversize_body_is_refused_without_being_read(testapp):
    status, headers, text = call(
        testapp, "/login", UnreadableBody(), "application/x-www-form-urlencoded", content_length=GB
    )
    assert status == 413
    assert headers["Content-Type"].startswith("text/html")
    assert "Dữ liệu gửi lên quá lớn" in text and "1 MB" in text


def test_a_declared_oversize_upload_is_refused_without_being_read(testapp):
    status, _, text = call(
        testapp, "/login", UnreadableBody(), f"multipart/form-data; boundary={BOUNDARY}", content_length=GB
    )
    assert status == 413 and "60 MB" in text


def test_a_chunked_form_stops_being_read_at_the_limit(testapp):
    body = EndlessBody(GB, head=b"login=admin&password=")
    status, _, text = call(testapp, "/login", body, "application/x-www-form-urlencoded")
    assert status == 413 and "Dữ liệu gửi lên quá lớn" in text
    assert body.read_bytes <= MAX_FORM_BYTES + CHUNK


def test_a_chunked_upload_stops_being_read_at_the_limit(testapp, app):
    limit = int(app.registry.settings["intranet.max_request_bytes"])
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="evidence"; filename="a.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-"
    ).encode()
    body = EndlessBody(GB, head=head, fill=b"0")
    status, _, _ = call(testapp, "/login", body, f"multipart/form-data; boundary={BOUNDARY}")
    assert status == 413
    assert body.read_bytes <= limit + CHUNK


def test_thousands_of_tiny_parts_are_refused(testapp):
    part = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n'
    data = (part * (MAX_FIELDS + 10) + f"--{BOUNDARY}--\r\n").encode()
    res = testapp.post(
        "/login", data, headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, status=413
    )
    assert "Dữ liệu gửi lên quá lớn" in res.text


def test_thousands_of_form_fields_are_refused(testapp):
    res = testapp.post(
        "/login", "a=&" * (MAX_FIELDS + 10), headers={"Content-Type": "application/x-www-form-urlencoded"}, status=413
    )
    assert "Dữ liệu gửi lên quá lớn" in res.text


def test_the_api_answers_json(testapp):
    status, headers, text = call(testapp, "/api/v1/reports", UnreadableBody(), "application/json", content_length=GB)
    assert status == 413 and headers["Content-Type"].startswith("application/json")
    assert '"error": "too_large"' in text and "quá lớn" in text


def test_a_nine_megabyte_evidence_file_is_still_accepted(as_user, dbsession):
    browser = as_user("tancanh")
    form = browser.get("/spaces/tan-canh/logs/new?duty=xa.bao-cao-dinh-ky").forms[1]
    form["log_date"], form["description"], form["progress"] = "01/06/2017", "Biên bản họp thôn", "done"
    form["evidence"] = [Upload("bien-ban.pdf", b"%PDF-1.4\n" + b"0" * (9 * 1024 * 1024))]
    form.submit(status=302)
    assert dbsession.scalars(select(Evidence.filename)).all() == ["bien-ban.pdf"]


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        'multipart/form-data; boundary="a\\"b"',
        f"multipart/form-data; boundary={BOUNDARY}; boundary=other",
    ],
)
def test_a_multipart_form_without_a_valid_boundary_is_400(testapp, content_type):
    res = testapp.post("/login", b"--x\r\n\r\n--x--\r\n", headers={"Content-Type": content_type}, status=400)
    assert "Biểu mẫu gửi lên không hợp lệ" in res.text


def test_a_part_without_a_valid_boundary_inside_the_form_is_400(testapp):
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n'
        f"Content-Type: multipart/mixed\r\n\r\nb\r\n--{BOUNDARY}--\r\n"
    ).encode()
    res = testapp.post(
        "/login", body, headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, status=400
    )
    assert "Biểu mẫu gửi lên không hợp lệ" in res.text


@pytest.mark.parametrize("charset", ["utf-7", "utf-16", "latin-1", "khong-co-bang-ma-nay"])
def test_a_charset_other_than_utf8_is_400(testapp, charset):
    res = testapp.post(
        "/login",
        b"login=admin&password=x",
        headers={"Content-Type": f"application/x-www-form-urlencoded; charset={charset}"},
        status=400,
    )
    assert "Bảng mã không được hỗ trợ" in res.text and "UTF-8" in res.text


@pytest.mark.parametrize("charset", ["utf-8", "UTF8", "us-ascii"])
def test_utf8_and_ascii_are_read(testapp, charset):
    # Read as a login form: the missing CSRF token is what answers, not the charset.
    res = testapp.post(
        "/login",
        b"login=admin&password=x",
        headers={"Content-Type": f"application/x-www-form-urlencoded; charset={charset}"},
        expect_errors=True,
    )
    assert res.status_int != 500 and "Bảng mã" not in res.text
