"""Network identifiers: IP addresses and MAC addresses.

IPv4 addresses avoid 0/8, 10/8, 127/8 and the multicast and reserved blocks (224 and up) and
never end in .0 or .255; IPv6 addresses are global unicast (2000::/3), written in full
(``2a01:04f8:...``). MAC addresses are locally administered unicast addresses (second-lowest
bit of the first byte set, lowest clear), so they can never name a real vendor's device.
"""

from __future__ import annotations

import numpy as np

from learnsynth.sample.fakes._base import Provider
from learnsynth.sample.fakes._people import People
from learnsynth.sample.fakes._text import HEX, int_strings, render

__all__ = ["IpAddress", "MacAddress"]

_NIBBLE_SHIFTS = np.array([12, 8, 4, 0])


class IpAddress(Provider):
    """Public-looking IPv4 addresses, or IPv6 ones when the format says ``version: 6``."""

    kind = "ip_address"

    def _generate(self, n: int, people: People) -> np.ndarray:
        return self._ipv6(n) if self.options.version == 6 else self._ipv4(n)

    def _ipv4(self, n: int) -> np.ndarray:
        first = self.rng.integers(1, 222, n)
        first = first + (first >= 10)  # skip 10/8 ...
        first = first + (first >= 127)  # ... and 127/8: 1-223 remain
        middle = self.rng.integers(0, 256, (n, 2))
        last = self.rng.integers(1, 255, n)
        return (int_strings(first) + "." + int_strings(middle[:, 0]) + "."
                + int_strings(middle[:, 1]) + "." + int_strings(last))

    def _ipv6(self, n: int) -> np.ndarray:
        groups = self.rng.integers(0, 0x10000, (n, 8))
        groups[:, 0] = self.rng.integers(0x2000, 0x4000, n)
        nibbles = (groups[:, :, None] >> _NIBBLE_SHIFTS) & 0xF
        return render(":".join(["####"] * 8), nibbles.reshape(n, 32), alphabet=HEX)


class MacAddress(Provider):
    """``aa:bb:cc:dd:ee:ff`` (the format's ``separator`` replaces ``:``)."""

    kind = "mac_address"

    def _generate(self, n: int, people: People) -> np.ndarray:
        octets = self.rng.integers(0, 256, (n, 6))
        octets[:, 0] = (octets[:, 0] & 0xFC) | 0x02
        nibbles = np.stack([octets >> 4, octets & 0xF], axis=2).reshape(n, 12)
        separator = ":" if self.options.separator is None else self.options.separator
        return render(separator.join(["##"] * 6), nibbles, alphabet=HEX)
