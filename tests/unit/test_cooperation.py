"""Background work (a follower's run, a relay's page) gives way to the requests a process is
answering, for a bounded time at each item; a request's own long loop waits for nobody."""
import eventlet
import pytest

from shared import cooperation
from shared.cooperation import answering, let_others_run


def background(done: list, items: int = 3):
    for item in range(items):
        let_others_run()
        done.append(item)


@pytest.fixture
def request_in_progress():
    began, finish = eventlet.Event(), eventlet.Event()

    def request():
        answering(began=True)
        began.send()
        finish.wait()  # waiting for its store, say
        answering(began=False)
    worker = eventlet.spawn(request)
    began.wait()
    yield finish
    if not finish.ready():
        finish.send()
    worker.wait()


def test_background_work_waits_while_a_request_is_answered_and_goes_on_after(monkeypatch, request_in_progress):
    monkeypatch.setattr(cooperation, "GIVE_WAY", 600)
    done = []
    work = eventlet.spawn(background, done)
    eventlet.sleep(0.05)  # turns enough for three items, had it not waited
    assert done == []
    request_in_progress.send()
    with eventlet.Timeout(30):
        work.wait()
    assert done == [0, 1, 2]


def test_a_steady_request_slows_background_work_but_never_stops_it(monkeypatch, request_in_progress):
    monkeypatch.setattr(cooperation, "GIVE_WAY", 0.01)
    done = []
    with eventlet.Timeout(30):  # each item waits 10 ms at most
        eventlet.spawn(background, done).wait()
    assert done == [0, 1, 2] and not request_in_progress.ready()


def test_a_requests_own_loop_waits_for_nobody(monkeypatch, request_in_progress):
    monkeypatch.setattr(cooperation, "GIVE_WAY", 600)
    done = []

    def another_request():
        answering(began=True)
        background(done)
        answering(began=False)
    with eventlet.Timeout(30):
        eventlet.spawn(another_request).wait()
    assert done == [0, 1, 2]


def test_a_request_that_ended_without_saying_so_is_not_waited_for(monkeypatch):
    monkeypatch.setattr(cooperation, "GIVE_WAY", 600)

    def killed_request():
        answering(began=True)  # and never answering(began=False): nameko skips the teardown
    eventlet.spawn(killed_request).wait()
    done = []
    with eventlet.Timeout(30):
        eventlet.spawn(background, done).wait()
    assert done == [0, 1, 2] and not cooperation._answering
