"""Production's static storage collects a stylesheet that references a file nobody shipped."""

from django.contrib.staticfiles.storage import StaticFilesStorage

from config.storage import StaticStorage


def test_broken_reference_is_left_alone_and_the_rest_is_hashed(tmp_path):
    source = tmp_path / "source"
    (source / "fonts").mkdir(parents=True)
    (source / "fonts" / "present.woff2").write_bytes(b"font")
    (source / "site.css").write_text(
        "@font-face{src:url(fonts/present.woff2)} @font-face{src:url(fonts/missing.woff2)}")
    storage = StaticStorage(location=tmp_path / "collected", base_url="/static/")
    origin = StaticFilesStorage(location=source)
    paths = {name: (origin, name) for name in ("site.css", "fonts/present.woff2")}
    for name in paths:
        with origin.open(name) as handle:
            storage.save(name, handle)

    errors = [hashed for _, hashed, _ in storage.post_process(paths) if isinstance(hashed, Exception)]

    assert not errors
    css = storage.open(storage.stored_name("site.css")).read().decode()
    assert 'url("fonts/missing.woff2")' in css
    assert "fonts/present.woff2" not in css and "fonts/present." in css  # hashed name

