"""Running jobs in threads released together, for the PostgreSQL concurrency tests."""

import threading
from collections.abc import Callable

from django.db import connections


def at_once(*jobs: Callable[[], object]) -> tuple[list[object], list[Exception]]:
    """Run the jobs in threads released together; their results and errors."""
    done, errors = [], []
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], object]) -> None:
        try:
            start.wait()
            done.append(job())
        except Exception as error:  # collected for the test to look at
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, errors
