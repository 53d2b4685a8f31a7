"""Write a realistic, entirely fake customer table for demos (``make demo``).

Why: learnsynth needs sample data that looks like a real customer extract (PII columns, skewed
numbers, zeros, nulls, dependent columns, a rare category) without anyone's real data. Every
value here is invented: names and addresses come from Faker's en_US locale data, phone numbers
use the 555-01XX block that the North American Numbering Plan reserves for fiction, and every
number is drawn from an explicit model so that the copula has strong dependence to learn.

The same ``--rows`` and ``--seed`` give a byte-identical file. Randomness flows from one
``numpy.random.Generator`` plus one Faker instance seeded with ``seed_instance`` (never a global
seed). Faker is called only to build small pools once; rows draw from the pools with the
Generator, which keeps a 5,000-row file well under a second.

Usage::

    python scripts/make_demo_data.py [--rows 5000] [--seed 7] [--out examples/customers.csv]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from faker import Faker

COLUMNS = (
    "customer_id", "first_name", "last_name", "email", "phone", "street_address", "city",
    "state", "postal_code", "date_of_birth", "age", "signup_ts", "income", "credit_score",
    "num_orders", "total_spent", "segment", "preferred_channel", "loyalty_tier", "is_active",
    "country", "notes",
)  # fmt: skip
REFERENCE_DATE = np.datetime64("2026-01-01", "D")  # "today" for ages and activity
SIGNUP_START = np.datetime64("2018-01-01T00:00:00", "s")
SIGNUP_END = np.datetime64("2026-01-01T00:00:00", "s")  # exclusive
MIN_ROWS = 10
NULL_RATES = {"phone": 0.03, "income": 0.04, "credit_score": 0.02,
              "preferred_channel": 0.10, "loyalty_tier": 0.15, "notes": 0.70}  # fmt: skip
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")
# Foreign rows give the rare-category protection (k rows per category) something to merge.
# (country, region, area code, first letter of the Canadian postal code)
FOREIGN_ROWS = (("CA", "ON", 416, "M"), ("CA", "BC", 604, "V"), ("MX", "NL", None, None))

# State -> (2020 population in millions, real area codes). Weights and coherent phone numbers.
# fmt: off
STATES: dict[str, tuple[float, tuple[int, ...]]] = {
    "AL": (5.0, (205, 251, 256, 334)), "AK": (0.73, (907,)), "AZ": (7.2, (480, 520, 602, 928)),
    "AR": (3.0, (479, 501, 870)), "CA": (39.5, (213, 310, 415, 510, 619, 714, 818, 916)),
    "CO": (5.8, (303, 719, 720, 970)), "CT": (3.6, (203, 860)), "DE": (0.99, (302,)),
    "DC": (0.69, (202,)), "FL": (21.5, (305, 407, 561, 813, 904, 954)),
    "GA": (10.7, (404, 678, 706, 770, 912)), "HI": (1.46, (808,)), "ID": (1.84, (208,)),
    "IL": (12.8, (217, 312, 630, 773, 847)), "IN": (6.8, (219, 317, 574, 812)),
    "IA": (3.2, (319, 515, 563, 712)), "KS": (2.9, (316, 620, 785, 913)),
    "KY": (4.5, (270, 502, 606, 859)), "LA": (4.7, (225, 318, 337, 504)), "ME": (1.36, (207,)),
    "MD": (6.2, (240, 301, 410, 443)), "MA": (7.0, (413, 508, 617, 781, 978)),
    "MI": (10.1, (248, 313, 517, 616, 734)), "MN": (5.7, (218, 507, 612, 651, 952)),
    "MS": (2.96, (228, 601, 662)), "MO": (6.2, (314, 417, 573, 816)), "MT": (1.08, (406,)),
    "NE": (1.96, (308, 402)), "NV": (3.1, (702, 775)), "NH": (1.38, (603,)),
    "NJ": (9.3, (201, 609, 732, 856, 908, 973)), "NM": (2.1, (505, 575)),
    "NY": (20.2, (212, 315, 516, 518, 585, 716, 718, 914)),
    "NC": (10.4, (252, 336, 704, 828, 910, 919)), "ND": (0.78, (701,)),
    "OH": (11.8, (216, 330, 419, 513, 614, 937)), "OK": (4.0, (405, 580, 918)),
    "OR": (4.2, (503, 541, 971)), "PA": (13.0, (215, 412, 570, 610, 717, 814)),
    "RI": (1.1, (401,)), "SC": (5.1, (803, 843, 864)), "SD": (0.89, (605,)),
    "TN": (6.9, (423, 615, 731, 865, 901)), "TX": (29.1, (210, 214, 281, 512, 713, 817, 915)),
    "UT": (3.3, (385, 435, 801)), "VT": (0.64, (802,)), "VA": (8.6, (276, 434, 540, 703, 757)),
    "WA": (7.7, (206, 253, 360, 425, 509)), "WV": (1.8, (304,)),
    "WI": (5.9, (262, 414, 608, 715, 920)), "WY": (0.58, (307,)),
}
# fmt: on


@dataclass(frozen=True)
class Pools:
    """Values drawn from Faker once; rows index into them with the Generator."""

    first_names: np.ndarray
    last_names: np.ndarray
    street_names: np.ndarray
    cities: dict[str, np.ndarray]
    postcodes: dict[str, np.ndarray]
    free_domains: np.ndarray
    sentences: np.ndarray


def build_pools(fake: Faker, rng: np.random.Generator) -> Pools:
    """Build the Faker pools; repeated draws keep Faker's name frequencies (names repeat)."""
    weights = np.array([pop for pop, _ in STATES.values()])
    per_state = np.maximum(3, np.round(600 * weights / weights.sum())).astype(int)
    cities, postcodes = {}, {}
    for state, size in zip(STATES, per_state, strict=True):
        cities[state] = np.array([fake.city() for _ in range(size)])
        postcodes[state] = np.array([fake.postcode_in_state(state) for _ in range(size)])
    return Pools(
        first_names=np.array([fake.first_name() for _ in range(3000)]),
        last_names=np.array([fake.last_name() for _ in range(3000)]),
        street_names=np.array([fake.street_name() for _ in range(1500)]),
        cities=cities,
        postcodes=postcodes,
        free_domains=np.array([fake.free_email_domain() for _ in range(50)]),
        sentences=np.array([fake.sentence(nb_words=int(k)) for k in rng.integers(4, 10, 400)]),
    )


def draw_birth_dates(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw dates of birth (ages 18-90, mostly 25-60) and the exact age at REFERENCE_DATE."""
    years = np.where(rng.random(n) < 0.85, rng.normal(42.0, 12.0, n), rng.uniform(18, 91, n))
    while (bad := (years < 18.0) | (years >= 91.0)).any():  # truncate by redrawing, no pile-up
        years[bad] = rng.normal(42.0, 12.0, bad.sum())
    dob = REFERENCE_DATE - np.floor(years * 365.2425).astype("timedelta64[D]")
    # Born on 2007-12-31 at the latest, so everyone can sign up as an adult before 2026.
    dob = np.clip(dob, np.datetime64("1935-01-02"), np.datetime64("2007-12-31"))
    stamp = pd.DatetimeIndex(dob)
    # REFERENCE_DATE is 1 January: the birthday has passed only for people born on 1 January.
    age = (2025 - stamp.year + ((stamp.month == 1) & (stamp.day == 1))).to_numpy(dtype=np.int64)
    return dob, age


def draw_signups(rng: np.random.Generator, dob: np.ndarray) -> np.ndarray:
    """Draw signup times that grow ~25% a year and never precede the customer's 18th birthday."""
    n = dob.size
    span = (SIGNUP_END - SIGNUP_START).astype(np.int64)
    rate = 0.25 / (365.25 * 86400)  # exponential growth per second
    u = rng.random(n)
    offset = np.log1p(u * np.expm1(rate * span)) / rate  # inverse CDF of growing density
    adult = (dob + np.timedelta64(6575, "D")).astype("datetime64[s]")  # >= 18 years
    lo = np.maximum(SIGNUP_START, adult)
    signup = SIGNUP_START + offset.astype(np.int64).astype("timedelta64[s]")
    late = signup < lo
    room = (SIGNUP_END - lo[late]).astype(np.int64)
    signup[late] = lo[late] + (rng.random(late.sum()) * room).astype("timedelta64[s]")
    # Shift the time of day towards daytime and evening (UTC), keeping the date.
    day = signup.astype("datetime64[D]")
    hour = np.clip(rng.normal(15.0, 4.5, n), 0, 23.999)
    return np.asarray(day + (hour * 3600).astype(np.int64).astype("timedelta64[s]"))


def draw_income(rng: np.random.Generator, age: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Draw annual income: lognormal rising to a peak at 55, falling after, ~8% exactly zero.

    Returns the income and its standardised latent, which credit score and orders share.
    """
    n = age.size
    rising = 1.5 * (1.0 - ((np.minimum(age, 55) - 55) / 37.0) ** 2)
    falling = 0.015 * np.maximum(age - 55, 0) + 0.25 * (age >= 67)
    z = rng.standard_normal(n)
    income = np.exp(np.log(19000.0) + rising - falling + 0.5 * z)
    p_zero = np.select([age < 22, age < 25], [0.6, 0.35], default=0.055)
    zero = rng.random(n) < p_zero
    income[zero] = 0.0
    latent = np.where(zero, -1.8, z + 2.0 * (rising - falling))
    return np.round(income, 2), (latent - latent.mean()) / latent.std()


def draw_credit_score(rng: np.random.Generator, latent: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Draw FICO-like scores (300-850, piled up at 850) driven by income and age."""
    age_z = (age - age.mean()) / age.std()
    c = 0.75 * latent + 0.25 * age_z + 0.5 * rng.standard_normal(latent.size)
    return np.asarray(np.clip(np.round(705 + 80 * c / c.std()), 300, 850), dtype=np.int64)


def draw_orders(
    rng: np.random.Generator, income: np.ndarray, signup: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Draw zero-inflated negative-binomial order counts and the matching total spent."""
    n = income.size
    tenure = (REFERENCE_DATE.astype("datetime64[s]") - signup).astype(np.int64) / 31_557_600
    spend_power = np.sqrt(np.maximum(income, 8000.0) / 50000.0)
    mean = 3.0 * spend_power * np.maximum(tenure, 0.1) ** 0.6
    orders = rng.poisson(mean * rng.gamma(1.5, 1 / 1.5, n))
    orders[rng.random(n) < 0.05] = 0  # signed up, never ordered
    basket = np.exp(np.log(42.0) + 0.6 * np.log(spend_power) + 0.45 * rng.standard_normal(n))
    spread = np.exp(0.3 * rng.standard_normal(n) / np.sqrt(np.maximum(orders, 1)))
    total = np.where(orders > 0, np.round(orders * basket * spread, 2), 0.0)
    return orders, total


def draw_segment(rng: np.random.Generator, age: np.ndarray, income: np.ndarray) -> np.ndarray:
    """Assign segments: students are young and poor, retirees old, businesses richer."""
    u = rng.random(age.size)
    student = (age < 27) & (income < 22000) & (u < 0.8)
    retired = ~student & (u < np.clip((age - 60) / 10.0, 0, 0.92))
    rich = 1 / (1 + np.exp(-2.0 * np.log(np.maximum(income, 1.0) / 90000.0)))
    v = rng.random(age.size)
    segment = np.where(v < 0.3 * rich, "enterprise",
                       np.where(v < 0.12 + 0.45 * rich, "small_business", "consumer"))  # fmt: skip
    segment[retired] = "retired"
    segment[student] = "student"
    return segment.astype(object)


def draw_choice(rng: np.random.Generator, probs: np.ndarray, labels: tuple[str, ...]) -> np.ndarray:
    """Draw one label per row from a row-specific probability matrix (n x len(labels))."""
    index = (rng.random((probs.shape[0], 1)) > np.cumsum(probs, axis=1)).sum(axis=1)
    return np.asarray(np.array(labels, dtype=object)[np.minimum(index, len(labels) - 1)])


def draw_channel(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    """Preferred contact channel: younger people text and email, older ones call and write."""
    table = np.array([[0.45, 0.07, 0.45, 0.03],   # under 35: email, phone, sms, mail
                      [0.55, 0.18, 0.20, 0.07],   # 35-59
                      [0.25, 0.42, 0.05, 0.28]])  # 60 and over  # fmt: skip
    group = np.digitize(age, [35, 60])
    return draw_choice(rng, table[group], ("email", "phone", "sms", "mail"))


def draw_loyalty(rng: np.random.Generator, total: np.ndarray) -> np.ndarray:
    """Loyalty tier from a noisy rank of total spent (bronze 45%, silver 30%, gold 18%, ...)."""
    score = np.log1p(total) + 0.4 * rng.standard_normal(total.size)
    cuts = np.quantile(score, [0.45, 0.75, 0.93])
    tiers = np.array(["bronze", "silver", "gold", "platinum"], dtype=object)
    tier = tiers[np.digitize(score, cuts)]
    tier[total == 0] = "bronze"
    return np.asarray(tier)


def draw_active(rng: np.random.Generator, orders: np.ndarray, signup: np.ndarray) -> np.ndarray:
    """Active flag: likely after frequent orders or a recent signup, rare for non-buyers."""
    tenure = (REFERENCE_DATE.astype("datetime64[s]") - signup).astype(np.int64) / 31_557_600
    per_year = orders / np.maximum(tenure, 0.25)
    logit = -1.6 + 1.6 * np.log1p(per_year) + 1.5 * (tenure < 1.0) - 1.5 * (orders == 0)
    active = rng.random(orders.size) < 1 / (1 + np.exp(-logit))
    return np.where(active, "true", "false").astype(object)


def draw_locations(rng: np.random.Generator, pools: Pools, n: int) -> pd.DataFrame:
    """Draw street address, city, state, postal code and phone that belong together."""
    weights = np.array([pop for pop, _ in STATES.values()])
    states = np.array(list(STATES))[rng.choice(len(STATES), n, p=weights / weights.sum())]
    city, postal, area = np.empty(n, object), np.empty(n, object), np.empty(n, np.int64)
    for state, (_, codes) in STATES.items():
        rows = np.flatnonzero(states == state)
        pick = np.minimum(rng.zipf(1.6, rows.size) - 1, pools.cities[state].size - 1)
        city[rows], postal[rows] = pools.cities[state][pick], pools.postcodes[state][pick]
        area[rows] = np.array(codes)[rng.integers(0, len(codes), rows.size)]
    digits = rng.choice([3, 4, 5], n, p=[0.3, 0.45, 0.25])
    number = rng.integers(10 ** (digits - 1), 10**digits)
    street = pools.street_names[rng.integers(0, pools.street_names.size, n)]
    unit = np.where(rng.random(n) < 0.15, [f" Apt. {k}" for k in rng.integers(1, 999, n)], "")
    line = rng.integers(100, 200, n)  # 555-0100..0199: reserved for fiction
    return pd.DataFrame({
        "phone": [f"({a}) 555-0{k}" for a, k in zip(area, line, strict=True)],
        "street_address": [f"{b} {s}{u}" for b, s, u in zip(number, street, unit, strict=True)],
        "city": city, "state": states, "postal_code": postal,
    })  # fmt: skip


def draw_people(rng: np.random.Generator, pools: Pools, n: int) -> pd.DataFrame:
    """Draw names with e-mail addresses derived from them, plus a coherent US location."""
    first = pools.first_names[rng.integers(0, pools.first_names.size, n)]
    last = pools.last_names[rng.integers(0, pools.last_names.size, n)]
    frame = pd.DataFrame({"first_name": first, "last_name": last})
    frame["email"] = draw_emails(rng, pools, first, last)
    return pd.concat([frame, draw_locations(rng, pools, n)], axis=1)


def draw_emails(
    rng: np.random.Generator, pools: Pools, first: np.ndarray, last: np.ndarray
) -> list[str]:
    """Derive unique lower-case e-mail addresses (first.last@ or flast42@) from each name."""
    domains = np.concatenate([np.repeat(EXAMPLE_DOMAINS, [30, 15, 15]), pools.free_domains[:40]])
    seen: set[str] = set()
    emails = []
    for f, g, style, dom, num in zip(
        first, last, rng.random(first.size), rng.integers(0, domains.size, first.size),
        rng.integers(1, 100, first.size), strict=True,
    ):  # fmt: skip
        f, g = re.sub(r"[^a-z]", "", f.lower()), re.sub(r"[^a-z]", "", g.lower())
        local = f"{f}.{g}" if style < 0.6 else f"{f[0]}{g}{num}"
        while f"{local}@{domains[dom]}" in seen:  # collision: add digits until unique
            local = f"{local}{rng.integers(0, 10)}"
        seen.add(f"{local}@{domains[dom]}")
        emails.append(f"{local}@{domains[dom]}")
    return emails


def add_foreign_rows(rng: np.random.Generator, frame: pd.DataFrame) -> None:
    """Move three customers abroad (two in Canada, one in Mexico) with matching addresses."""
    frame["country"] = "US"
    rows = rng.choice(len(frame), len(FOREIGN_ROWS), replace=False)
    col = frame.columns.get_loc
    for row, (country, region, area, letter) in zip(rows, FOREIGN_ROWS, strict=True):
        frame.iat[row, col("country")], frame.iat[row, col("state")] = country, region
        if country == "CA":
            a, d = rng.choice(list("ABCEGHJKLMNPRSTVWXYZ"), 2), rng.integers(0, 10, 3)
            frame.iat[row, col("postal_code")] = f"{letter}{d[0]}{a[0]} {d[1]}{a[1]}{d[2]}"
            if isinstance(frame.iat[row, col("phone")], str):  # keep the row's null phone
                frame.iat[row, col("phone")] = f"({area}) 555-0{rng.integers(100, 200)}"
        else:  # Monterrey, Nuevo Leon: 64000-67999
            frame.iat[row, col("postal_code")] = f"{rng.integers(64000, 68000)}"


def blank_out(rng: np.random.Generator, frame: pd.DataFrame) -> None:
    """Set each column of NULL_RATES to missing at its documented rate (at random rows)."""
    for column, rate in NULL_RATES.items():
        frame.loc[rng.random(len(frame)) < rate, column] = None


def generate(n: int, seed: int) -> pd.DataFrame:
    """Generate the whole table: ``n`` customers in signup order, reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    pools = build_pools(fake, rng)
    frame = draw_people(rng, pools, n)
    dob, frame["age"] = draw_birth_dates(rng, n)
    frame["date_of_birth"] = np.datetime_as_string(dob, unit="D")
    signup = draw_signups(rng, dob)
    frame["signup_ts"] = np.char.add(np.datetime_as_string(signup, unit="s"), "+00:00")
    income, latent = draw_income(rng, frame["age"].to_numpy())
    frame["income"] = income
    credit = draw_credit_score(rng, latent, frame["age"].to_numpy())
    frame["credit_score"] = pd.array(credit, dtype="Int64")
    frame["num_orders"], frame["total_spent"] = draw_orders(rng, income, signup)
    frame["segment"] = draw_segment(rng, frame["age"].to_numpy(), income)
    frame["preferred_channel"] = draw_channel(rng, frame["age"].to_numpy())
    frame["loyalty_tier"] = draw_loyalty(rng, frame["total_spent"].to_numpy())
    frame["is_active"] = draw_active(rng, frame["num_orders"].to_numpy(), signup)
    count = rng.integers(1, 3, n)
    picks = pools.sentences[rng.integers(0, pools.sentences.size, (n, 2))]
    frame["notes"] = [" ".join(p[:k]) for p, k in zip(picks, count, strict=True)]
    blank_out(rng, frame)
    add_foreign_rows(rng, frame)
    frame = frame.sort_values("signup_ts", kind="stable").reset_index(drop=True)
    frame["customer_id"] = [f"17-{i:06d}" for i in range(1, n + 1)]
    return frame[list(COLUMNS)]


def write_csv(frame: pd.DataFrame, out: Path) -> None:
    """Write UTF-8 CSV with '\\n' line ends, two-decimal money and empty cells for nulls.

    The file is written beside ``out`` and then renamed, so an interrupted run never leaves a
    half-written demo file behind.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n", float_format="%.2f")
    os.replace(tmp, out)


def _int_at_least(minimum: int) -> Callable[[str], int]:
    """Build an argparse ``type`` that accepts integers >= ``minimum`` with a clear message."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from exc
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {value}")
        return value

    return parse


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, generate the table and write it; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=_int_at_least(MIN_ROWS), default=5000,
        help=f"number of customers (at least {MIN_ROWS}; default 5000)",
    )  # fmt: skip
    parser.add_argument("--seed", type=_int_at_least(0), default=7, help="seed (default 7)")
    parser.add_argument("--out", type=Path, default=Path("examples/customers.csv"),
                        help="CSV file to write (default examples/customers.csv)")  # fmt: skip
    args = parser.parse_args(argv)
    write_csv(generate(args.rows, args.seed), args.out)
    print(f"wrote {args.rows} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
