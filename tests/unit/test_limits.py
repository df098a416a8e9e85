"""The gateway's token buckets on a controlled clock (gateway/limits.py)."""
from gateway.limits import Buckets


def test_a_rate_limit_passes_a_burst_then_holds_to_the_rate():
    now = [1000.0]
    buckets = Buckets(per_minute=3, clock=lambda: now[0])
    assert [buckets.wait_for("a") for _ in range(4)] == [0, 0, 0, 20]
    assert buckets.wait_for("b") == 0  # another caller
    now[0] += 19
    assert buckets.wait_for("a") == 1
    now[0] += 1
    assert buckets.wait_for("a") == 0 and buckets.wait_for("a") == 20
    assert Buckets(per_minute=0).wait_for("a") == 0  # 0: no limit
