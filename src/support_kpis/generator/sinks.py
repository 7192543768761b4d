"""Table files: CSV (RFC 4180 via the csv module) or Parquet (every column a string)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Literal, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from support_kpis.generator.schema import Row

Format = Literal["csv", "parquet"]
PARQUET_ROWS_PER_GROUP = 100_000
INVALID_ROWS_FILE = "_invalid_rows.csv"
INVALID_ROWS_COLUMNS = ("table", "key", "reason_code", "detail")


class RowSink(Protocol):
    """Somewhere rows of one table go, in order; counts what it delivered."""

    rows_written: int

    def write(self, row: Row) -> None: ...

    def close(self) -> None: ...


class CsvSink:
    """A CSV file with a header row; null is the empty field."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self._file = path.open("w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._file)
        self._writer.writerow(columns)
        self.rows_written = 0

    def write(self, row: Row) -> None:
        self._writer.writerow(row)
        self.rows_written += 1

    def close(self) -> None:
        self._file.close()


class ParquetSink:
    """A Parquet file whose columns are all strings (the CSV's text; null for empty)."""

    def __init__(
        self, path: Path, columns: tuple[str, ...], rows_per_group: int = PARQUET_ROWS_PER_GROUP
    ) -> None:
        self._rows_per_group = rows_per_group
        self._schema = pa.schema([(name, pa.string()) for name in columns])
        self._writer = pq.ParquetWriter(path, self._schema)
        self._buffer: list[Row] = []
        self.rows_written = 0

    def write(self, row: Row) -> None:
        self._buffer.append(row)
        self.rows_written += 1
        if len(self._buffer) >= self._rows_per_group:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        columns = list(zip(*self._buffer, strict=True))
        arrays = [pa.array(values, type=pa.string()) for values in columns]
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        self._buffer = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


def open_sink(outdir: Path, table: str, columns: tuple[str, ...], fmt: Format) -> RowSink:
    """`OUTDIR/<table>.csv` or `OUTDIR/<table>.parquet`."""
    if fmt == "csv":
        return CsvSink(outdir / f"{table}.csv", columns)
    return ParquetSink(outdir / f"{table}.parquet", columns)


class InvalidRowLog:
    """`_invalid_rows.csv`: one line per quarantined row."""

    def __init__(self, outdir: Path) -> None:
        self._sink = CsvSink(outdir / INVALID_ROWS_FILE, INVALID_ROWS_COLUMNS)

    def record(self, table: str, key: str | None, reason: str, detail: str) -> None:
        """Log one quarantined row."""
        self._sink.write([table, (key or "").strip(), reason, detail])

    def close(self) -> None:
        """Flush and close the file."""
        self._sink.close()
