"""Settings from the environment and ``.env``, checked once at start-up.

A missing or malformed setting stops the bot with one clear line naming it (see ``load_settings``).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Telegram's rules for setWebhook: the secret_token alphabet and length, and the ports it posts to.
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
WEBHOOK_PORTS = (443, 80, 88, 8443)
PLACEHOLDER_TOKEN = "123456789:replace-with-your-token"  # .env.example's; never a real bot's


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it and is safe to print."""


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr
    telegram_api_base_url: str | None = None
    database_path: Path = Path("data/ldn.db")
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_timezone: str = "Europe/London"
    log_level: str = "INFO"
    send_concurrency: int = Field(default=8, ge=1, le=64)
    # Webhook mode (``ldn-bot run`` uses it when WEBHOOK_URL is set; see docs/deploy.md).
    webhook_url: str | None = None
    webhook_secret_token: SecretStr | None = Field(default=None, validate_default=True)
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
            for part in parts:
                if not part.isdigit():
                    raise ValueError(f"{part!r} is not a numeric Telegram user id")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("telegram_api_base_url", "webhook_url")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("telegram_api_base_url")
    @classmethod
    def _api_base_url(cls, value: str | None) -> str | None:
        # Never echoed: a self-hosted server's URL may carry credentials.
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be a URL such as http://127.0.0.1:8081/bot (or empty)")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        # The value itself is never echoed: people sometimes put the bot token in the path.
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("must be an https:// URL such as https://bot.example.org/telegram")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError("must not contain a query, a fragment or credentials")
        try:
            port = parts.port
        except ValueError:
            port = -1
        if port is not None and port not in WEBHOOK_PORTS:
            raise ValueError("Telegram only posts to ports 443, 80, 88 and 8443")
        return value

    @field_validator("webhook_secret_token")
    @classmethod
    def _secret_token(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        # Runs even when unset (validate_default): webhook_url, declared above, is in info.data.
        secret = value.get_secret_value() if value is not None else ""
        if not secret:
            if info.data.get("webhook_url"):
                raise ValueError("is required when WEBHOOK_URL is set (1-256 of A-Za-z0-9_-)")
            return None
        if not _SECRET_TOKEN.fullmatch(secret):
            raise ValueError("must be 1-256 characters, each one of A-Z a-z 0-9 _ -")
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _listen_address(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must be an address to listen on, such as 127.0.0.1")
        return value.strip()

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not an IANA time zone such as Europe/Berlin") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in logging.getLevelNamesMapping():
            raise ValueError(f"{value!r} is not a log level (DEBUG, INFO, WARNING, ERROR)")
        return value.upper()

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if value.get_secret_value() == PLACEHOLDER_TOKEN:
            raise ValueError(
                "is still the example from .env.example; put the token from @BotFather"
            )
        bot_id, _, secret = value.get_secret_value().partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("does not look like a bot token from @BotFather (digits:secret)")
        return value


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Settings from the environment (and ``env_file``), or ConfigError naming the bad setting."""
    try:
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        if error["type"] == "missing":
            raise ConfigError(f"{name} is not set (see .env.example)") from None
        reason = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {reason}") from None
