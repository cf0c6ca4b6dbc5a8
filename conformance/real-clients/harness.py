"""A minimal test runner: named cases in order, each passing or failing, never skipped.

A case that needs an earlier case which failed is itself counted as failed ("not run: needs …"),
so a broken step can never make the total look better. The last line is the summary the xtask
runner counts: `real-clients: N passed, M failed`.
"""

import time
import traceback


def printable(text, limit):
    """`text` with control and undecodable characters escaped, cut to `limit` characters."""
    text = "".join(c if c.isprintable() or c in "\n\t" else f"\\x{ord(c):02x}" if ord(c) < 256 else "?" for c in text)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit} more characters)"


class CheckFailed(AssertionError):
    pass


def check(condition, message):
    """Fail the current case with `message` unless `condition` holds."""
    if not condition:
        raise CheckFailed(message)


def equal(actual, expected, what):
    check(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")


class Suite:
    def __init__(self, name):
        self.name = name
        self.cases = []  # (name, function, needs)
        self.results = {}  # name -> (ok, message, seconds)

    def case(self, name, needs=()):
        """Decorator: register `function(ctx)` as a case that runs after the ones it `needs` (cases or names)."""

        def register(function):
            names = [getattr(need, "case_name", need) for need in needs]
            for need in names:
                if need not in [c[0] for c in self.cases]:
                    raise ValueError(f"case {name!r} needs {need!r}, which is not registered before it")
            self.cases.append((name, function, tuple(names)))
            function.case_name = name
            return function

        return register

    def run(self, ctx, only=None):
        for name, function, needs in self.cases:
            if only is not None and name not in only:
                continue
            failed_needs = [n for n in needs if not self.results.get(n, (False,))[0]]
            started = time.monotonic()
            if failed_needs:
                ok, message = False, f"not run: needs {', '.join(failed_needs)}, which failed"
            else:
                try:
                    function(ctx)
                    ok, message = True, ""
                except CheckFailed as e:
                    ok, message = False, str(e)
                except Exception as e:  # a client raising is a failed case, with its own words
                    ok, message = False, f"{type(e).__module__}.{type(e).__name__}: {e}"
                    ctx.trace(f"{name}:\n{printable(traceback.format_exc(), 20000)}")
            seconds = time.monotonic() - started
            self.results[name] = (ok, message, seconds)
            line = f"ok    {name} ({seconds:.1f} s)" if ok else f"FAIL  {name} ({seconds:.1f} s): {printable(message, 800)}"
            print(line, flush=True)
            ctx.note(line if ok else f"FAIL  {name}: {printable(message, 20000)}")

    def passed(self):
        return sum(1 for ok, _, _ in self.results.values() if ok)

    def failed(self):
        return sum(1 for ok, _, _ in self.results.values() if not ok)
