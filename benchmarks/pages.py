"""Time pages in-process (Django test client, no server): median of N requests per URL.

For old/new comparisons on one database, run it once per code tree:

    PMO_ALLOW_DEV_KEY=1 PMO_DATABASE_URL=sqlite:////tmp/d5k.sqlite3 PYTHONPATH=<tree>/src \\
        .venv/bin/python benchmarks/pages.py --user pmo / /projects/P0001/

``--lang zh-hans`` reads the pages in Chinese.

The database is a `pmo demo --projects N` one; nothing is written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--user", default="pmo")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--lang", default="", help="zh-hans or en: the pages in that language (the user's own else)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    import django

    django.setup()
    from django.test import Client

    from pmo.accounts.models import User

    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username=args.user))
    if args.lang:
        from django.conf import settings

        client.cookies[settings.LANGUAGE_COOKIE_NAME] = args.lang
    for url in args.urls:
        client.get(url)  # warm-up
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            status = client.get(url).status_code
            times.append(time.perf_counter() - start)
            if status != 200:
                raise SystemExit(f"{url}: HTTP {status}")
        print(f"{url} median {statistics.median(times) * 1000:.1f} ms over {args.requests}")


if __name__ == "__main__":
    main()
