"""Settings: one clear line naming the bad setting."""

import pytest

from bot.config import ConfigError, load_settings

VARS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "ADMIN_IDS",
    "DEFAULT_TIMEZONE",
    "LOG_LEVEL",
    "DATABASE_PATH",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARS:
        monkeypatch.delenv(name, raising=False)


def test_missing_token_names_it() -> None:
    with pytest.raises(ConfigError, match=r"^TELEGRAM_BOT_TOKEN is not set"):
        load_settings(None)


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("ADMIN_IDS", "12,abc", "ADMIN_IDS: 'abc' is not a numeric Telegram user id"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE: 'Mars/Olympus' is not an IANA"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL: 'LOUD' is not a log level"),
        (
            "TELEGRAM_BOT_TOKEN",
            "n0nsense-value",
            "TELEGRAM_BOT_TOKEN: does not look like a bot token",
        ),
    ],
)
def test_malformed_setting_names_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, words: str
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:s3cret")
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(None)
    assert str(caught.value).startswith(words)
    assert "s3cret" not in str(caught.value) and "n0nsense" not in str(caught.value)


def test_good_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:s3cret")
    monkeypatch.setenv("ADMIN_IDS", "12, 34")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "")
    settings = load_settings(None)
    assert settings.admin_ids == frozenset({12, 34})
    assert settings.telegram_api_base_url is None
    assert "s3cret" not in repr(settings)


def test_reads_env_file(tmp_path: pytest.TempPathFactory) -> None:
    import pathlib

    env = pathlib.Path(str(tmp_path)) / ".env"
    env.write_text("TELEGRAM_BOT_TOKEN=9:abc\nDEFAULT_TIMEZONE=Asia/Tokyo\n")
    settings = load_settings(env)
    assert settings.default_timezone == "Asia/Tokyo"


def test_placeholder_token_from_env_example_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import pathlib

    example = pathlib.Path(__file__).parents[2] / ".env.example"
    placeholder = next(
        line.partition("=")[2]
        for line in example.read_text().splitlines()
        if line.startswith("TELEGRAM_BOT_TOKEN=")
    )
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", placeholder)
    with pytest.raises(ConfigError, match=r"^TELEGRAM_BOT_TOKEN: is still the example"):
        load_settings(None)


@pytest.mark.parametrize(
    "url", ["127.0.0.1:8081/bot", "ftp://example.org/bot", "http://", "not a url"]
)
def test_api_base_url_must_be_a_url(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:s3cret")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", url)
    with pytest.raises(ConfigError) as caught:
        load_settings(None)
    assert str(caught.value).startswith("TELEGRAM_API_BASE_URL: must be a URL")


def test_api_base_url_accepts_http_and_https(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:s3cret")
    for url in ("http://127.0.0.1:8081/bot", "https://bots.example.org/bot"):
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", url)
        assert load_settings(None).telegram_api_base_url == url
