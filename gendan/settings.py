"""Typed settings: defaults, overridden by GENDAN_* environment variables and CLI options."""

from decimal import Decimal
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB_NAME = "gendan.duckdb"


class Settings(BaseSettings):
    """Everything a run of gendan can be configured with.

    `GENDAN_DB=/data/factory.duckdb gendan kpi` is the same as `gendan kpi --db /data/factory.duckdb`.
    """

    model_config = SettingsConfigDict(env_prefix="GENDAN_", extra="ignore")

    db: Path = Field(default=Path(DEFAULT_DB_NAME), description="warehouse file")
    base_currency: str = Field(default="USD", min_length=3, max_length=3)
    ship_tolerance: Decimal = Field(
        default=Decimal("0"), ge=0, lt=1, description="short-ship allowance, e.g. 0.03 for 3 %"
    )
    lock_timeout_seconds: float = Field(default=600.0, gt=0)
    reader_memory_limit: str = Field(
        default="1GB",
        pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="DuckDB's memory limit for a reader (the dashboard, kpi): above it, it drops cached blocks "
        "and spills; its default, 80 % of the RAM, lets a long-running dashboard keep gigabytes of cache",
    )

    @field_validator("base_currency")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.strip().upper()


def load_settings(**overrides) -> Settings:
    """Settings from the environment, with non-None keyword overrides (CLI options) on top."""
    return Settings(**{key: value for key, value in overrides.items() if value is not None})
