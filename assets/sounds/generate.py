"""Generate the chimes the timer plays, so that no sound in the repository is of unknown origin.

Run ``python assets/sounds/generate.py`` to rewrite the WAV files beside this script. The
output is deterministic (no randomness, no timestamps), so a regenerated file is byte for byte
the committed one and a diff shows any change of sound.

- ``wrapup.wav``: one bell strike (time to wrap up)
- ``danger.wav``: two strikes (the last seconds)
- ``timeup.wav``: three strikes, higher (the limit is reached; overtime starts)
- ``standby.wav``: a soft two-note ping for the stage manager's standby call
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050  # Hz; a chime needs no more, and it keeps each file under ~100 kB
PEAK = 0.6  # of full scale, leaving headroom for the partials adding up

# A bell: a fundamental plus inharmonic partials (ratio, relative amplitude, decay per second).
BELL_PARTIALS = ((1.0, 1.0, 3.0), (2.76, 0.45, 5.0), (5.40, 0.25, 8.0), (8.93, 0.12, 12.0))


def bell(freq: float, length_s: float) -> list[float]:
    """One decaying bell strike, with a 5 ms attack so it starts without a click."""
    samples = []
    for n in range(int(RATE * length_s)):
        t = n / RATE
        attack = min(1.0, t / 0.005)
        value = sum(
            amp * math.exp(-decay * t) * math.sin(2 * math.pi * freq * ratio * t)
            for ratio, amp, decay in BELL_PARTIALS
        )
        samples.append(attack * value)
    return samples


def ping(freq: float, length_s: float) -> list[float]:
    """A soft sine ping: gentler than a bell, for a call that is not an alarm."""
    samples = []
    for n in range(int(RATE * length_s)):
        t = n / RATE
        attack = min(1.0, t / 0.01)
        samples.append(attack * math.exp(-6.0 * t) * math.sin(2 * math.pi * freq * t))
    return samples


def sequence(strikes: list[list[float]], gap_s: float) -> list[float]:
    """Strikes started every ``gap_s`` seconds, overlapping tails mixed together."""
    step = int(RATE * gap_s)
    total = step * (len(strikes) - 1) + max(len(s) for s in strikes)
    mix = [0.0] * total
    for i, strike in enumerate(strikes):
        for n, value in enumerate(strike):
            mix[i * step + n] += value
    return mix


def normalised(samples: list[float]) -> list[float]:
    top = max(abs(s) for s in samples)
    return [s * PEAK / top for s in samples]


def write_wav(path: Path, samples: list[float]) -> None:
    """16-bit mono PCM, the format every player and QSoundEffect accepts."""
    frames = b"".join(struct.pack("<h", round(s * 32767)) for s in normalised(samples))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


def chimes() -> dict[str, list[float]]:
    """Every sound by file name."""
    return {
        "wrapup.wav": bell(880.0, 1.2),
        "danger.wav": sequence([bell(880.0, 1.0), bell(880.0, 1.0)], 0.35),
        "timeup.wav": sequence([bell(1046.5, 1.0)] * 3, 0.3),
        "standby.wav": sequence([ping(660.0, 0.6), ping(990.0, 0.7)], 0.18),
    }


def main() -> None:
    here = Path(__file__).resolve().parent
    for name, samples in chimes().items():
        write_wav(here / name, samples)
        print(f"wrote {here / name}")


if __name__ == "__main__":
    main()
