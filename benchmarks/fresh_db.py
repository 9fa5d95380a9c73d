"""Start a benchmark database from nothing: `python -m benchmarks.fresh_db URL`.

SQLite: the file (and its WAL files) is removed. PostgreSQL: the database named
in the URL is dropped and created again through the server's `postgres` database.
"""

import sys
from pathlib import Path

import dj_database_url


def fresh_sqlite(name):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
    Path(name).parent.mkdir(parents=True, exist_ok=True)


def fresh_postgres(config):
    import psycopg
    from psycopg import sql

    admin = psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    )
    with admin:
        name = sql.Identifier(config["NAME"])
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))


def main(url):
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        fresh_sqlite(config["NAME"])
    elif config["ENGINE"].endswith("postgresql"):
        fresh_postgres(config)
    else:
        raise SystemExit(f"Unsupported benchmark database: {url}")
    print(f"fresh database: {config['NAME']}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m benchmarks.fresh_db DATABASE_URL")
    main(sys.argv[1])
