"""One progress signature for every long call of the package (run, ensemble, study, simulate, calibrate,
calibrate_key, CalibrationResult.forecast, skill, Result.write, plan.info):

    progress(fraction, message)     fraction 0..1 of the work done, message what it is doing; returning False
                                    cancels (CancelledError), an exception it raises reaches the caller.

``progress=True`` shows a tqdm bar instead (Debian's python3-tqdm; ImportError naming the package when it is not
installed); ``progress=None`` (the DEFAULT) reports nothing.
"""

import contextlib

__all__ = ["reporting"]


@contextlib.contextmanager
def reporting(progress, description):
    """The callable for `progress` (None, True or a callable), for the duration of the call; a tqdm bar is closed
    when the call ends, however it ends."""
    if progress is None or progress is False:
        yield None
        return
    if progress is True:
        try:
            from tqdm import tqdm
        except ImportError:
            raise ImportError("progress=True shows a tqdm bar: install Debian's python3-tqdm "
                              "(apt-get install python3-tqdm), or pass a callable progress(fraction, message)") from None
        bar = tqdm(total=1000, desc=description, unit="‰", bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}")

        def update(fraction, message):
            done = int(round(min(max(float(fraction), 0.0), 1.0) * 1000))
            if done > bar.n:
                bar.update(done - bar.n)
            bar.set_postfix_str(str(message), refresh=True)

        try:
            yield update
        finally:
            bar.close()
        return
    if callable(progress):
        yield progress
        return
    raise TypeError(f"progress must be None, True (a tqdm bar) or a callable progress(fraction, message), "
                    f"not {type(progress).__name__}")
