"""The landing-folder sensor starts the nightly refresh when an export arrives or changes, and only then."""

from dagster import RunRequest, SkipReason, build_sensor_context

from dagster_project.defs.reporting.schedules import build_landing_sensor
from dagster_project.settings import Settings


def evaluate(sensor, cursor=None):
    context = build_sensor_context(cursor=cursor)
    return sensor(context), context.cursor


def test_sensor_requests_a_run_when_files_arrive_and_skips_when_nothing_changed(tmp_path):
    sensor = build_landing_sensor(Settings.from_env(env={}, landing=tmp_path, settle_seconds=0.1))
    result, cursor = evaluate(sensor)
    assert isinstance(result, SkipReason) and "no exports" in result.skip_message

    (tmp_path / "orders.csv").write_text("customer_id,order_date,amount\n1,2026-01-01,5\n")
    (tmp_path / "notes.txt").write_text("not an export")
    result, cursor = evaluate(sensor)
    assert isinstance(result, RunRequest) and "orders.csv" in cursor and "notes.txt" not in cursor

    result, same = evaluate(sensor, cursor)
    assert isinstance(result, SkipReason) and same == cursor

    (tmp_path / "orders_2026-01-02.csv").write_text("customer_id,order_date,amount\n2,2026-01-02,7\n")
    result, newer = evaluate(sensor, cursor)
    assert isinstance(result, RunRequest) and "orders_2026-01-02.csv" in newer


def test_sensor_waits_while_an_export_is_still_being_copied(tmp_path):
    import threading
    import time

    sensor = build_landing_sensor(Settings.from_env(env={}, landing=tmp_path, settle_seconds=0.5))
    path = tmp_path / "orders.csv"
    path.write_text("customer_id,order_date,amount\n")
    stop = threading.Event()

    def copy_slowly():
        with open(path, "a") as f:
            while not stop.is_set():
                f.write("1,2026-01-01,5\n")
                f.flush()
                time.sleep(0.05)

    writer = threading.Thread(target=copy_slowly)
    writer.start()
    try:
        result, cursor = evaluate(sensor)
    finally:
        stop.set()
        writer.join()
    assert isinstance(result, SkipReason) and result.skip_message == "waiting for orders.csv to finish copying"
    assert cursor is None  # not marked as seen: the next evaluation starts the run
    time.sleep(0.6)
    result, cursor = evaluate(sensor)
    assert isinstance(result, RunRequest) and "orders.csv" in cursor


def test_sensor_says_when_the_landing_folder_does_not_exist(tmp_path):
    sensor = build_landing_sensor(Settings.from_env(env={}, landing=tmp_path / "missing"))
    result, _ = evaluate(sensor)
    assert (
        isinstance(result, SkipReason)
        and result.skip_message == f"landing folder {tmp_path / 'missing'} does not exist"
    )
