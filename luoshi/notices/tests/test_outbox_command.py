import os
import signal
import socket
import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from pytest_django import Settings
from time_machine import TimeMachineFixture

from luoshi.conftest import World
from luoshi.notices import actions
from luoshi.notices.choices import NoticeKind, OutboxStatus, Platform
from luoshi.notices.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint
from luoshi.notices.tests.conftest import NOW
from luoshi.notices.tests.servers import FAIL, HANG, OK, Receiver, Smtp
from luoshi.notices.worker import Worker


def _outbox(*args: str) -> str:
    out = StringIO()
    call_command("outbox", *args, stdout=out)
    return out.getvalue()


def _robot(world: World, receiver: Receiver, **kwargs: object) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        zone=world.zone, name="全区群", platform=Platform.WECOM, url=receiver.url(), **kwargs
    )


def _queue(world: World, n: int = 1) -> list[OutboxMessage]:
    for i in range(n):
        actions.notify_group(world.zone, None, f"预警{i}", "逾期", "", f"warning:{i}")
    return list(OutboxMessage.objects.order_by("pk"))


def test_back_off_after_a_500_then_sent(world: World, receiver: Receiver, frozen: TimeMachineFixture) -> None:
    _robot(world, receiver)
    (message,) = _queue(world)
    receiver.script = [FAIL]
    assert "待重试 1 条" in _outbox("--once")
    message.refresh_from_db()
    assert (message.status, message.attempts, message.lease_until) == (OutboxStatus.PENDING, 1, None)
    assert NOW + timedelta(seconds=22.5) <= message.next_attempt_at <= NOW + timedelta(seconds=30)
    assert message.last_error.startswith("HTTP 500")
    attempt = DeliveryAttempt.objects.get()
    assert (attempt.ok, attempt.status_code, attempt.started) == (False, 500, NOW)

    _outbox("--once")  # not due yet: nothing is sent
    assert len(receiver.received) == 1
    frozen.move_to(NOW + timedelta(seconds=31), tick=False)
    assert "已发送 1 条" in _outbox("--once")
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 2, "")
    assert message.sent_at == NOW + timedelta(seconds=31)


def test_a_hanging_receiver_times_out_and_is_retried(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    _robot(world, receiver)
    (message,) = _queue(world)
    receiver.script = [HANG]
    _outbox("--once")
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and "超时" in message.last_error
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code is None and 250 <= attempt.duration_ms < 1000


def test_an_unreachable_robot_is_retried(
    world: World, frozen: TimeMachineFixture, settings: Settings
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/hook"
    settings.LUOSHI_ROBOT_ALLOWED_HOSTS = [url.removesuffix("/hook")]
    WebhookEndpoint.objects.create(zone=world.zone, name="群", platform=Platform.FEISHU, url=url)
    (message,) = _queue(world)
    _outbox("--once")
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.last_error.startswith("连接失败")


def test_dead_after_the_maximum_attempts(
    world: World, receiver: Receiver, frozen: TimeMachineFixture, settings: Settings
) -> None:
    _robot(world, receiver)
    (message,) = _queue(world)
    receiver.default = FAIL
    for hour in range(1, 6):
        _outbox("--once")
        frozen.move_to(NOW + timedelta(hours=hour), tick=False)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.DEAD, settings.LUOSHI_OUTBOX_MAX_ATTEMPTS)
    assert len(receiver.received) == message.deliveries.count() == 3


def test_a_killed_workers_lease_expires_and_another_worker_sends(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    _robot(world, receiver)
    (message,) = _queue(world)
    (claimed,) = actions.claim_due("dead-host:1:x", 10, timedelta(minutes=5))  # …and the worker is killed
    _outbox("--once")
    assert receiver.received == []  # the lease still holds
    frozen.move_to(NOW + timedelta(minutes=5, seconds=1), tick=False)
    assert "已发送 1 条" in _outbox("--once")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert message.claimed_by != "dead-host:1:x"
    # The first worker was only stuck: its late report does not undo the other worker's success.
    actions.record_delivery(claimed, "dead-host:1:x", NOW, 10, actions.Outcome(False, error="late"))
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_a_message_that_keeps_killing_workers_is_given_up(
    world: World, receiver: Receiver, frozen: TimeMachineFixture, settings: Settings
) -> None:
    _robot(world, receiver)
    (message,) = _queue(world)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, attempts=3, lease_until=NOW - timedelta(seconds=1), claimed_by="gone"
    )
    _outbox("--once")
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD and "中断" in message.last_error
    assert receiver.received == []


def test_two_claimers_never_get_the_same_message(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    _robot(world, receiver)
    _queue(world, 3)
    now, lease = timezone.now(), timedelta(minutes=1)
    # Both see the same due rows, as two workers racing on SQLite would before the UPDATE.
    seen_a, seen_b = actions.due_ids(now, 10), actions.due_ids(now, 10)
    assert seen_a == seen_b and len(seen_a) == 3
    assert len(actions.claim(seen_a, "worker-a", now, lease)) == 3
    assert actions.claim(seen_b, "worker-b", now, lease) == []
    assert actions.claim_due("worker-b", 10, lease) == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_message_once(world: World, receiver: Receiver) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database (SQLite in tests is one in-memory connection)")
    _robot(world, receiver)
    _queue(world, 60)
    workers = [Worker(batch=4) for _ in range(3)]

    def run(worker: Worker) -> None:
        try:
            worker.drain()
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    titles = [r.body["markdown"]["content"].split("\n")[0] for r in receiver.received]
    assert len(titles) == len(set(titles)) == 60
    assert all(w.counts[OutboxStatus.SENT] for w in workers)  # SKIP LOCKED shared the work out
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 60


def test_email_through_the_local_smtp_server(world: World, smtp: Smtp, frozen: TimeMachineFixture) -> None:
    liaison = world.user("liaison")
    liaison.email = "liaison@tech.example.gov.cn"
    liaison.save(update_fields=["email"])
    actions.notify(
        world.zone,
        [liaison],
        NoticeKind.REPORT_DUE,
        "请报送第10周进展",
        "周五前报送。",
        "/z/alpha/inbox/",
        "due:w10",
    )
    assert "已发送 1 条" in _outbox("--once")
    (email,) = smtp.messages
    assert email["Subject"] == "请报送第10周进展"
    assert email["From"] == "luoshi@example.gov.cn" and email["To"] == "liaison@tech.example.gov.cn"
    assert email.get_content() == "周五前报送。\n\n查看详情：https://luoshi.test/z/alpha/inbox/\n"
    assert smtp.recipients == [["liaison@tech.example.gov.cn"]]


def test_an_unreachable_mail_server_is_retried(
    world: World, smtp: Smtp, settings: Settings, frozen: TimeMachineFixture
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    user = world.user("liaison")
    user.email = "l@example.gov.cn"
    user.save(update_fields=["email"])
    actions.notify(world.zone, [user], NoticeKind.OTHER, "t", "b", "", "k")
    _outbox("--once")
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING and "邮件发送失败" in message.last_error


def test_one_bad_message_does_not_stop_the_others(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    _robot(world, receiver)
    bad, good = _queue(world, 2)
    OutboxMessage.objects.filter(pk=bad.pk).update(payload={"broken": True})
    _outbox("--once")
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == OutboxStatus.PENDING and bad.last_error.startswith("KeyError")
    assert good.status == OutboxStatus.SENT


def test_messages_for_a_deactivated_robot_are_given_up(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    robot = _robot(world, receiver)
    (message,) = _queue(world)
    actions.deactivate_endpoint(robot, None)
    _outbox("--once")
    message.refresh_from_db()
    assert (message.status, message.last_error) == (OutboxStatus.DEAD, "群机器人已停用")


def test_a_stopping_worker_hands_back_what_it_did_not_send(
    world: World, receiver: Receiver, frozen: TimeMachineFixture
) -> None:
    _robot(world, receiver)
    _queue(world, 3)
    worker = Worker(batch=10)
    deliver = worker.deliver

    def deliver_then_stop(message: OutboxMessage) -> str:
        worker.stop()  # SIGTERM arrives while the first message is being sent
        return deliver(message)

    worker.deliver = deliver_then_stop  # type: ignore[method-assign]  # a stand-in for this test
    assert worker.run_batch() == 3
    statuses = list(OutboxMessage.objects.order_by("pk").values_list("status", "attempts", "lease_until"))
    assert statuses == [
        (OutboxStatus.SENT, 1, None),
        (OutboxStatus.PENDING, 0, None),
        (OutboxStatus.PENDING, 0, None),
    ]


@pytest.mark.django_db(transaction=True)  # the loop recycles its connection, as it would in production
def test_loop_runs_until_sigterm(world: World, receiver: Receiver) -> None:
    _robot(world, receiver)
    _queue(world, 2)
    receiver.default = OK
    previous = signal.getsignal(signal.SIGTERM)

    def terminate_once_delivered() -> None:
        deadline = time.monotonic() + 5
        while len(receiver.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)  # let the worker record the second delivery and go idle
        os.kill(os.getpid(), signal.SIGTERM)

    killer = threading.Thread(target=terminate_once_delivered)
    killer.start()
    out = _outbox("--loop", "--interval", "0.05")
    killer.join()
    assert "已发送 2 条" in out
    assert signal.getsignal(signal.SIGTERM) == previous


def test_arguments_are_checked(db: None) -> None:
    with pytest.raises(Exception, match="必须大于 0"):
        _outbox("--batch", "0")
