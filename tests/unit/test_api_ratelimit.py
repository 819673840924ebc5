"""The in-memory sliding window behind the os-fping rate limit."""

from multios_api_ext import ratelimit


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_allows_limit_hits_then_says_when_to_retry():
    clock = Clock()
    limiter = ratelimit.SlidingWindowLimiter(3, 60, clock=clock)
    assert [limiter.hit('p') for _ in range(3)] == [None, None, None]
    clock.now += 10.2
    assert limiter.hit('p') == 50


def test_window_slides_hit_by_hit():
    clock = Clock()
    limiter = ratelimit.SlidingWindowLimiter(2, 60, clock=clock)
    limiter.hit('p')
    clock.now += 30
    limiter.hit('p')
    clock.now += 30
    assert limiter.hit('p') is None
    assert limiter.hit('p') == 30


def test_refused_hits_do_not_extend_the_wait():
    clock = Clock()
    limiter = ratelimit.SlidingWindowLimiter(1, 60, clock=clock)
    limiter.hit('p')
    for _ in range(5):
        limiter.hit('p')
    clock.now += 60
    assert limiter.hit('p') is None


def test_keys_are_counted_apart():
    limiter = ratelimit.SlidingWindowLimiter(1, 60, clock=Clock())
    assert limiter.hit('p1') is None
    assert limiter.hit('p2') is None
    assert limiter.hit('p1') == 60


def test_zero_limit_disables():
    limiter = ratelimit.SlidingWindowLimiter(0, 60, clock=Clock())
    assert all(limiter.hit('p') is None for _ in range(100))
