"""The demo factory, simulated: who orders what and when, and how it is bought, made, shipped and paid.

Days are numbers relative to the as-of date A (0 = A, -1 = the day before), so the
story always ends at A, whatever A is. Everything is simulated forward without
looking at A, then cut at A: a receipt, production report, shipment or payment
dated after A has not happened yet. That cut is what leaves some orders running,
some late, some stalled and some invoices unpaid, in plausible proportions.

Every step draws from its own random stream (`Streams`), so the result depends only
on the seed and the scale, and changing one step does not reshuffle the others.
Steps are vectorised with numpy: scale 400 (a million order lines) takes about ten seconds.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from etl.contract import DELAY_REASON_CODES, PROCESS_CODES, TIER_CODES
from gendan.demo import catalog

EPOCH = dt.date(1970, 1, 1)
HISTORY_DAYS = 730  # two years of orders up to A
ORDER_LINES_PER_SCALE = 2500
CUSTOMERS_PER_SCALE = 40
MIN_CUSTOMERS = 8
LINES_PER_ORDER_EXTRA = 1.5  # lines per order = 1 + Poisson(1.5), 2.5 on average ...
MAX_LINES_PER_ORDER = 8  # ... and never more than this
PRODUCTION_CHUNK_LINES = 50_000  # order lines whose production is simulated (and written) at a time

CUSTOMER_PROFILES = {"regular": 0.40, "seasonal": 0.25, "frequent": 0.12, "quiet": 0.12, "new": 0.11}
PAYER_HABITS = {"prompt": 0.55, "late": 0.25, "partial": 0.14, "non_payer": 0.06}
SEASON_MONTHS = (1, 2, 3, 4, 5, 6)  # ski wear is ordered in the first half year for the winter
RUSH_SHARE = 0.08
CANCELLED_SHARE = 0.015
TROUBLE_SHARE = 0.22  # order lines whose production goes badly for one reason
PROCESSES = tuple(PROCESS_CODES)  # cutting, sewing, finishing, packing
# Days after the sewing of a batch that finishing and packing report it.
PROCESS_LAG = {"finishing": 0, "packing": 1}
DELAY_REASONS = tuple(DELAY_REASON_CODES)
NO_REASON = -1  # index of a reason left empty
TROUBLE_REASON_INDEX = np.array([DELAY_REASONS.index(reason) for reason in catalog.TROUBLE_REASONS])
EVERYDAY_REASON_INDEX = np.array(
    [NO_REASON if reason is None else DELAY_REASONS.index(reason) for reason in catalog.EVERYDAY_DELAY_REASONS]
)


class Streams:
    """One independent, reproducible random generator per named step (and chunk)."""

    def __init__(self, seed: int):
        self.seed = seed

    def __call__(self, step: str, *index: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, zlib.crc32(step.encode()), *index])


def _exact_shares(rng: np.random.Generator, count: int, shares: dict[str, float]) -> np.ndarray:
    """`count` labels in the given proportions (each label at least once when there is room), shuffled.

    Drawing each label independently could leave a small demo without, say, a customer who never pays.
    """
    labels = list(shares)
    counts = np.floor(np.array(list(shares.values())) * count).astype(int)
    if count >= len(labels):
        counts = np.maximum(counts, 1)
    while counts.sum() > count:
        counts[counts.argmax()] -= 1
    remainders = np.array(list(shares.values())) * count - counts
    for index in np.argsort(-remainders, kind="stable")[: count - counts.sum()]:
        counts[index] += 1
    return rng.permutation(np.repeat(np.array(labels), counts))


def _group_offsets(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups laid end to end: the group of every element and its position inside its group."""
    group = np.repeat(np.arange(len(sizes)), sizes)
    starts = np.cumsum(sizes) - sizes
    return group, np.arange(sizes.sum()) - starts[group]


def _labels(names: list[str] | tuple[str, ...], index: np.ndarray) -> pl.Series:
    """`names[index]` as a string series; a negative index gives null (a value left empty)."""
    index = np.asarray(index)
    values = pl.Series(list(names), dtype=pl.String).gather(np.maximum(index, 0))
    return pl.select(pl.when(pl.Series(index >= 0)).then(values)).to_series()


def _normalised(weights: list[float]) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


def _dates(days: np.ndarray | pl.Series, as_of: dt.date) -> pl.Series:
    """Days relative to A as a Polars date series (a null day stays null)."""
    return (pl.Series(days).cast(pl.Int32) + (as_of - EPOCH).days).cast(pl.Date)


def _with_dates(frame: pl.DataFrame, as_of: dt.date, **columns: str) -> pl.DataFrame:
    """Add date columns from day-number columns: `_with_dates(frame, as_of, order_date="order_day")`."""
    return frame.with_columns(_dates(frame[days], as_of).alias(name) for name, days in columns.items())


def _document_numbers(prefix: str, days: np.ndarray, as_of: dt.date) -> pl.Series:
    """PO2601-00042: prefix, year and month of the document's date, then a running number.

    `days` must be in date order, so numbers increase with dates as in a real ERP.
    """
    width = max(5, len(str(len(days))))
    frame = pl.DataFrame({"date": _dates(days, as_of), "seq": np.arange(1, len(days) + 1)})
    year_month = pl.col("date").dt.strftime("%y%m")
    running = pl.col("seq").cast(pl.String).str.zfill(width)
    return frame.select(pl.format("{}{}-{}", pl.lit(prefix), year_month, running)).to_series()


# ---------------------------------------------------------------- customers


def simulate_customers(rng: np.random.Generator, count: int) -> pl.DataFrame:
    """Customers with their country, currency, terms, tier, merchandiser, ordering rhythm and paying habit."""
    country_shares = np.array([country.share for country in catalog.COUNTRIES])
    country_index = rng.choice(len(catalog.COUNTRIES), size=count, p=country_shares / country_shares.sum())
    countries = [catalog.COUNTRIES[index] for index in country_index]
    profile = _exact_shares(rng, count, CUSTOMER_PROFILES)
    size = rng.lognormal(0.0, 0.8, count) * np.where(profile == "frequent", 3.0, 1.0)
    # Some euro-zone buyers are invoiced in dollars all the same.
    currency = [
        "USD" if country.currency == "EUR" and rng.random() < 0.2 else country.currency for country in countries
    ]
    size_rank = np.argsort(np.argsort(-size))
    tier = np.where(size_rank < 0.2 * count, 0, np.where(size_rank < 0.55 * count, 1, 2))
    tier[rng.random(count) < 0.08] = -1  # not every customer has been graded
    width = max(3, len(str(count)))
    return pl.DataFrame(
        {
            "customer_code": [f"C{number:0{width}d}" for number in range(1, count + 1)],
            "customer_name": _customer_names(rng, countries),
            "country": [country.code for country in countries],
            "payment_terms_days": [int(rng.choice(country.payment_terms)) for country in countries],
            "tier": _labels(tuple(TIER_CODES), tier),
            "merchandiser": _labels(catalog.MERCHANDISERS, rng.permutation(count) % len(catalog.MERCHANDISERS)),
            "currency": currency,
            "profile": profile,
            "payer": _exact_shares(rng, count, PAYER_HABITS),
            "size": size,
        }
    )


def _customer_names(rng: np.random.Generator, countries: list[catalog.Country]) -> list[str]:
    words, trades = catalog.NAME_WORDS, catalog.NAME_TRADES
    latin = len(words) * len(words) * len(trades)
    chinese = len(catalog.CN_CITIES) * len(catalog.CN_WORDS) * len(catalog.CN_TRADES)
    count = len(countries)
    latin_picks = rng.choice(latin, size=count, replace=count > latin)
    chinese_picks = rng.choice(chinese, size=count, replace=count > chinese)
    names = []
    for country, latin_pick, chinese_pick in zip(countries, latin_picks, chinese_picks, strict=True):
        if country.code == "CN":
            city, rest = divmod(int(chinese_pick), len(catalog.CN_WORDS) * len(catalog.CN_TRADES))
            word, trade = divmod(rest, len(catalog.CN_TRADES))
            place, word, trade = catalog.CN_CITIES[city], catalog.CN_WORDS[word], catalog.CN_TRADES[trade]
            names.append(f"{place}{word}{trade}{country.legal_suffix}")
        else:
            first, rest = divmod(int(latin_pick), len(words) * len(trades))
            second, trade = divmod(rest, len(trades))
            stem = words[first] if first == second else f"{words[first]} {words[second]}"
            names.append(f"{stem} {trades[trade]} {country.legal_suffix}")
    return names


# ---------------------------------------------------------------- orders


def simulate_order_lines(
    rng: np.random.Generator, customers: pl.DataFrame, order_count: int, as_of: dt.date
) -> pl.DataFrame:
    """Order lines (one row each) of `order_count` orders spread over the customers by size and rhythm.

    Besides the contract columns (dates as day numbers `*_day`), keeps what later steps need:
    `customer` (row in `customers`), `order` (running order index), `category`, `rush`, `cancelled`.
    """
    customer_count = customers.height
    size = customers["size"].to_numpy()
    # Two orders each at least, so every customer has an ordering rhythm to judge.
    spare = max(0, order_count - 2 * customer_count)
    per_customer = 2 + rng.multinomial(spare, size / size.sum())
    order_customer, order_position = _group_offsets(per_customer)
    order_day = _order_days(rng, customers["profile"].to_numpy(), per_customer, order_customer, order_position, as_of)
    by_date = np.lexsort((order_customer, order_day))
    order_customer, order_day = order_customer[by_date], order_day[by_date]
    orders = len(order_day)

    seasonal = customers["profile"].to_numpy()[order_customer] == "seasonal"
    rush = rng.random(orders) < RUSH_SHARE
    # Ski wear bought for the winter is ordered months ahead; rush orders are wanted in weeks.
    normal_lead = np.where(seasonal, rng.integers(90, 151, orders), rng.integers(55, 101, orders))
    lead_days = np.where(rush, rng.integers(21, 36, orders), normal_lead)
    lines_per_order = np.minimum(1 + rng.poisson(LINES_PER_ORDER_EXTRA, orders), MAX_LINES_PER_ORDER)
    order, line_position = _group_offsets(lines_per_order)
    count = len(order)

    # Some lines of an order are wanted a little later (a second delivery).
    due_day = order_day[order] + lead_days[order] + np.where(rng.random(count) < 0.08, rng.integers(7, 22, count), 0)
    category = rng.choice(
        len(catalog.CATEGORIES), size=count, p=_normalised([category.share for category in catalog.CATEGORIES])
    )
    gender = rng.choice(len(catalog.GENDERS), size=count, p=_normalised([g.share for g in catalog.GENDERS]))
    quantity = np.clip(np.round(rng.lognormal(np.log(380), 0.75, count) / 10) * 10, 50, 8000).astype(np.int64)
    currency = customers["currency"].gather(order_customer[order])
    low, high = np.array([category.price_usd for category in catalog.CATEGORIES]).T
    price_usd = rng.uniform(low[category], high[category]) * np.array([g.price_factor for g in catalog.GENDERS])[gender]
    currency_factor = currency.replace_strict(catalog.CURRENCY_PRICE_FACTOR, return_dtype=pl.Float64).to_numpy()
    unit_price_cents = np.round(price_usd * currency_factor * 100).astype(np.int64)
    # A merchandiser covering for a colleague; otherwise the customer's default applies.
    merchandiser = np.where(rng.random(count) < 0.07, rng.integers(0, len(catalog.MERCHANDISERS), count), -1)
    cancelled = (rng.random(count) < CANCELLED_SHARE) & (order_day[order] <= -30)
    chinese_buyer = customers["country"].to_numpy()[order_customer[order]] == "CN"

    frame = pl.DataFrame(
        {
            "order": order,
            "customer": order_customer[order],
            "line_no": line_position + 1,
            "order_day": order_day[order],
            "due_day": due_day,
            "category": category,
            "gender": gender,
            "style_number": rng.integers(100, 1000, count),
            "quantity": quantity,
            "unit_price": unit_price_cents,
            "currency": currency,
            "merchandiser": _labels(catalog.MERCHANDISERS, merchandiser),
            "rush": rush[order],
            "cancelled": cancelled,
            "chinese_buyer": chinese_buyer,
        }
    )
    order_numbers = _document_numbers("SO", order_day, as_of)
    prefixes = pl.Series([category.prefix for category in catalog.CATEGORIES])
    english = pl.Series([category.english for category in catalog.CATEGORIES])
    chinese = pl.Series([category.chinese for category in catalog.CATEGORIES])
    gender_english = pl.Series([g.english for g in catalog.GENDERS])
    gender_chinese = pl.Series([g.chinese for g in catalog.GENDERS])
    due_date = _dates(frame["due_day"], as_of)
    return frame.with_columns(
        order_no=order_numbers.gather(frame["order"]),
        customer_code=customers["customer_code"].gather(frame["customer"]),
        # Style numbers carry the season (the delivery year), as SK26-417.
        style_no=pl.format(
            "{}{}-{}",
            prefixes.gather(frame["category"]),
            (due_date.dt.year() % 100).cast(pl.String).str.zfill(2),
            pl.col("style_number"),
        ),
        description=pl.when(pl.col("chinese_buyer"))
        .then(pl.format("{}{}", gender_chinese.gather(frame["gender"]), chinese.gather(frame["category"])))
        .otherwise(pl.format("{} {}", gender_english.gather(frame["gender"]), english.gather(frame["category"]))),
        priority=pl.when(pl.col("rush")).then(pl.lit("rush")).otherwise(pl.lit("normal")),
        status=pl.when(pl.col("cancelled")).then(pl.lit("cancelled")).otherwise(pl.lit("open")),
        order_date=_dates(frame["order_day"], as_of),
        due_date=due_date,
    ).drop("style_number", "gender", "chinese_buyer")


def _order_days(
    rng: np.random.Generator,
    profile: np.ndarray,
    per_customer: np.ndarray,
    order_customer: np.ndarray,
    order_position: np.ndarray,
    as_of: dt.date,
) -> np.ndarray:
    """Each customer's order dates, evenly spread (with jitter) over the days it is active.

    A customer's rhythm is a density over the last two years: flat for regular buyers,
    the first half-year only for seasonal ones, stopping months ago for those going
    quiet, starting recently for new ones. Order k of n sits at quantile (k + jitter) / n.
    """
    days = np.arange(-HISTORY_DAYS, 1)
    customer_count = len(profile)
    months = (np.datetime64(as_of, "D") + days).astype("datetime64[M]").astype(int) % 12 + 1
    first = np.where(
        profile == "new", rng.integers(-240, -100, customer_count), rng.integers(-HISTORY_DAYS, -690, customer_count)
    )
    last = np.where(profile == "quiet", rng.integers(-330, -150, customer_count), 0)
    density = ((days >= first[:, None]) & (days <= last[:, None])).astype(float)
    in_season = np.isin(months, SEASON_MONTHS)
    density[profile == "seasonal"] *= np.where(in_season, 1.0, 0.03)
    cumulative = np.cumsum(density, axis=1)
    cumulative /= cumulative[:, -1:]
    # Rows laid end to end, each shifted by its customer's index, so one search serves every customer.
    stacked = (cumulative + np.arange(customer_count)[:, None]).ravel()
    quantile = (order_position + rng.uniform(0.15, 0.85, len(order_position))) / per_customer[order_customer]
    found = np.searchsorted(stacked, order_customer + quantile)
    return days[np.minimum(found, stacked.size - 1) % len(days)]


# ---------------------------------------------------------------- purchasing


def simulate_purchase_orders(
    rng: np.random.Generator, lines: pl.DataFrame, as_of: dt.date
) -> tuple[pl.DataFrame, np.ndarray]:
    """Fabric and trim PO lines for about half the sales orders, and the day each order's material is in.

    Returns the PO lines placed by A and, per sales order, the day production can start
    for lack of material (the first lot of its latest PO line arrives the day before).
    """
    per_order = lines.group_by("order", maintain_order=True).agg(
        pl.col("order_no").first(),
        pl.col("order_day").first(),
        pl.col("rush").first(),
        pl.col("cancelled").all(),
        pl.col("quantity").filter(~pl.col("cancelled")).sum(),
    )
    orders = per_order.height
    order_day = per_order["order_day"].to_numpy()
    # Orders without a PO line use stock material, ready after a week or two.
    material_ready = order_day + rng.integers(5, 16, orders)

    has_po = rng.random(orders) < 0.55
    po_order = np.flatnonzero(has_po)
    lines_per_po = 1 + (rng.random(len(po_order)) < 0.4)
    po, po_position = _group_offsets(lines_per_po)
    count = len(po)
    sales_order = po_order[po]

    suppliers = catalog.SUPPLIERS
    po_supplier = rng.choice(len(suppliers), size=len(po_order), p=_normalised([s.weight for s in suppliers]))
    supplier = po_supplier[po]
    # A PO's second line is another material of the same supplier.
    catalogue_size = np.array([len(s.materials) for s in suppliers])[po_supplier]
    first_material = rng.integers(0, catalogue_size)
    second_offset = 1 + rng.integers(0, catalogue_size - 1)
    material_index = (first_material[po] + np.where(po_position == 0, 0, second_offset[po])) % catalogue_size[po]
    materials = [suppliers[s].materials[m] for s, m in zip(supplier, material_index, strict=True)]
    per_piece = np.array([material.per_piece for material in materials])
    steps_per_unit = 10.0 ** np.array([material.decimals for material in materials])  # ordered in 0.1 m, 0.01 kg, 1 pc
    order_quantity = per_order["quantity"].to_numpy()[sales_order]
    needed = order_quantity * per_piece * rng.uniform(1.02, 1.06, count)
    quantity = np.maximum(np.round(needed * steps_per_unit) / steps_per_unit, 1.0)

    rush = per_order["rush"].to_numpy()[sales_order]
    po_date_of_po = order_day[po_order] + rng.integers(1, 6, len(po_order))
    po_day = po_date_of_po[po]
    lead_low, lead_high = np.array([s.lead_days for s in suppliers])[supplier].T
    late_low, late_high = np.array([s.late_days for s in suppliers])[supplier].T
    late_share = np.array([s.late_share for s in suppliers])[supplier]
    lead = np.round(rng.uniform(lead_low, lead_high + 1) * np.where(rush, 0.6, 1.0)).astype(int)
    promised_day = po_day + lead
    late = rng.random(count) < late_share
    # On time mostly means on the day; a few days early at most.
    delay = np.where(late, rng.integers(late_low, late_high + 1), np.minimum(0, rng.integers(-3, 3, count)))
    arrival_day = np.maximum(promised_day + delay, po_day + 3)

    # One in eight arrives in two lots; sometimes the supplier never sends the balance.
    split = rng.random(count) < 0.12
    first_lot = np.where(split, np.round(quantity * rng.uniform(0.5, 0.85, count), 1), quantity)
    second_lot_day = arrival_day + rng.integers(4, 19, count)
    balance_never = split & (rng.random(count) < 0.15)
    received_first = arrival_day <= 0
    received_second = split & ~balance_never & (second_lot_day <= 0)
    received_qty = np.where(received_first, first_lot, 0.0) + np.where(received_second, quantity - first_lot, 0.0)
    received_day = np.where(received_second, second_lot_day, arrival_day)

    cancelled = per_order["cancelled"].to_numpy()[sales_order] | (rng.random(count) < 0.015)
    fully_received = received_first & (~split | received_second)
    # The buyer closes a line whose balance is long overdue and will not come.
    closed_short = balance_never & received_first & (promised_day < -45) & (rng.random(count) < 0.5)
    status = np.where(cancelled, "cancelled", np.where(fully_received | closed_short, "closed", "open"))
    received_qty = np.where(cancelled, 0.0, received_qty)
    np.maximum.at(material_ready, sales_order[~cancelled], arrival_day[~cancelled] + 1)

    by_date = np.lexsort((po_order, po_date_of_po))
    date_rank = np.empty(len(po_order), dtype=np.int64)
    date_rank[by_date] = np.arange(len(po_order))
    for_stock = rng.random(count) < 0.04  # stock purchases are for no particular sales order
    frame = pl.DataFrame(
        {
            "po_no": _document_numbers("PO", po_date_of_po[by_date], as_of).gather(date_rank[po]),
            "po_line": po_position + 1,
            "supplier": _labels([s.name for s in suppliers], supplier),
            "material": [material.name for material in materials],
            "order_no": per_order["order_no"].gather(sales_order),
            "order_day": po_day,
            "promised_day": promised_day,
            "quantity": quantity,
            "unit": [material.unit for material in materials],
            "received_qty": received_qty,
            "received_day": received_day,
            "status": status,
        }
    )
    placed = (
        frame.with_columns(
            order_no=pl.when(pl.Series(~for_stock)).then("order_no"),
            received_day=pl.when(pl.col("received_qty") > 0).then("received_day"),
        )
        .filter(pl.col("order_day") <= 0)
        .sort("po_no", "po_line")
    )
    dates = {"order_date": "order_day", "promised_date": "promised_day", "received_date": "received_day"}
    return _with_dates(placed, as_of, **dates), material_ready


# ---------------------------------------------------------------- production

WORKSHOP_NAMES = [name for process in PROCESSES for name in catalog.WORKSHOPS[process]]
FIRST_WORKSHOP = {process: WORKSHOP_NAMES.index(catalog.WORKSHOPS[process][0]) for process in PROCESSES}
SPELL_ORIGIN_DAY = -HISTORY_DAYS - 60  # defect spells are drawn per week from here ...
SPELL_WEEKS = (HISTORY_DAYS + 60 + 400) // 7 + 1  # ... to well after A (production simulated ahead of A)


def simulate_defect_spells(rng: np.random.Generator) -> np.ndarray:
    """Defect-rate multiplier per workshop and week: mostly 1, sometimes a bad spell (a poor fabric lot, new hands)."""
    shape = (len(WORKSHOP_NAMES), SPELL_WEEKS)
    return np.where(rng.random(shape) < 0.06, rng.uniform(2.5, 4.5, shape), 1.0)


@dataclass(frozen=True)
class DailyOutput:
    """Day-by-day output of one process for many order lines, one element per report."""

    line: np.ndarray  # index of the order line
    step: np.ndarray  # 0 for the line's first working day of this process, then 1, 2, ...
    planned: np.ndarray
    output: np.ndarray
    cumulative: np.ndarray  # output of the line so far, this report included


def _daily_output(
    rng: np.random.Generator, quantity: np.ndarray, rate: np.ndarray, efficiency: np.ndarray, bad_day_share: np.ndarray
) -> DailyOutput:
    """Work through each line's quantity at `rate` a day planned, achieving `efficiency` of it, with bad days.

    The plan of a day is the rate, or what is left if less. Enough days are laid out for
    a slow line to finish; the last one takes whatever is left so every line completes.
    """
    days_needed = np.ceil(quantity / (rate * efficiency * 0.7)).astype(np.int64) + 1
    line, step = _group_offsets(days_needed)
    total = len(line)
    achieved = efficiency[line] * rng.uniform(0.88, 1.1, total)
    bad_day = rng.random(total) < bad_day_share[line]
    achieved = np.where(bad_day, achieved * rng.uniform(0.0, 0.5, total), achieved)
    raw = np.round(rate[line] * achieved).astype(np.int64)
    raw = np.where(step == days_needed[line] - 1, quantity[line], raw)
    cumulative = _grouped_cumsum(raw, days_needed)
    before = cumulative - raw
    working = before < quantity[line]
    line, step, before, cumulative = line[working], step[working], before[working], cumulative[working]
    capped = np.minimum(cumulative, quantity[line])
    return DailyOutput(
        line=line,
        step=step,
        planned=np.minimum(rate[line], quantity[line] - before),
        output=capped - before,
        cumulative=capped,
    )


def simulate_production(
    rng: np.random.Generator, lines: pl.DataFrame, spells: np.ndarray, as_of: dt.date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Daily reports per workshop and process for (not cancelled) order lines, up to A.

    `lines` needs quantity, due_day, order_day, rush, category, material_ready_day,
    order_no, line_no and `line` (an id returned in the summary). Sewing is the
    bottleneck: cutting runs a day ahead of it, finishing the same day, packing the day after.
    Returns the reports dated ≤ A and, per line, the (possibly future) day packing ends
    and the day half the quantity is packed, which shipping needs.
    """
    count = lines.height
    quantity = lines["quantity"].to_numpy()
    speed = np.array([category.sewing_speed for category in catalog.CATEGORIES])[lines["category"].to_numpy()]
    sewing_rate = np.maximum(100, np.round(rng.uniform(450, 850, count) * speed / 10) * 10).astype(np.int64)
    trouble = rng.random(count) < TROUBLE_SHARE
    trouble_reason = TROUBLE_REASON_INDEX[rng.integers(0, len(TROUBLE_REASON_INDEX), count)]
    efficiency = np.where(trouble, rng.uniform(0.45, 0.75, count), np.clip(rng.normal(0.94, 0.05, count), 0.8, 1.05))
    planned_days = np.ceil(quantity / sewing_rate).astype(np.int64)
    # The plan packs a normal line one to two weeks before it is due; a rush line has days.
    buffer = np.where(lines["rush"].to_numpy(), rng.integers(2, 8, count), rng.integers(8, 18, count))
    planned_start = lines["due_day"].to_numpy() - buffer - planned_days - 3  # cutting, lags, a spare day
    # A troubled line also tends to lose its slot on the sewing floor for a while.
    held_up = np.where(trouble, rng.integers(0, 31, count), 0)
    start = held_up + np.maximum.reduce(
        [
            planned_start + rng.integers(-2, 3, count),
            lines["material_ready_day"].to_numpy(),
            lines["order_day"].to_numpy() + 2,
        ]
    )

    cutting = _daily_output(rng, quantity, rng.integers(10, 21, count) * 100, np.ones(count), np.zeros(count))
    sewing = _daily_output(rng, quantity, sewing_rate, efficiency, np.where(trouble, 0.22, 0.04))
    # Waiting for material: sewing stops for one to four weeks partway.
    waits = trouble & (trouble_reason == DELAY_REASONS.index("material_shortage"))
    wait_from = rng.integers(0, planned_days)
    wait_days = np.where(waits, rng.integers(8, 26, count), 0)
    waited = np.where(sewing.step >= wait_from[sewing.line], wait_days[sewing.line], 0)
    sewing_day = start[sewing.line] + 1 + sewing.step + waited
    reports = len(sewing.line)
    short = sewing.output < 0.9 * sewing.planned
    everyday_shares = _normalised(list(catalog.EVERYDAY_DELAY_REASONS.values()))
    everyday = rng.choice(EVERYDAY_REASON_INDEX, size=reports, p=everyday_shares)
    sewing_reason = np.where(short, np.where(trouble[sewing.line], trouble_reason[sewing.line], everyday), NO_REASON)

    high_defects = trouble & (trouble_reason == DELAY_REASONS.index("high_defects"))
    defect_factor = rng.uniform(0.6, 1.4, count) * np.where(high_defects, 3.0, 1.0)
    workshop_choice = {process: rng.integers(0, len(catalog.WORKSHOPS[process]), count) for process in PROCESSES}
    processes = {
        "cutting": (cutting, start[cutting.line] + cutting.step, np.full(len(cutting.line), NO_REASON)),
        "sewing": (sewing, sewing_day, sewing_reason),
    }
    for process, lag in PROCESS_LAG.items():
        upstream = np.where(short & (rng.random(reports) < 0.3), DELAY_REASONS.index("upstream_delay"), NO_REASON)
        processes[process] = (sewing, sewing_day + lag, upstream)

    frames = []
    for process_index, (process, (daily, day, reason)) in enumerate(processes.items()):
        workshop = FIRST_WORKSHOP[process] + workshop_choice[process][daily.line]
        week = np.clip((day - SPELL_ORIGIN_DAY) // 7, 0, SPELL_WEEKS - 1)
        defect_rate = catalog.DEFECT_RATES[process] * defect_factor[daily.line] * spells[workshop, week]
        defect_rate = np.minimum(defect_rate, 0.3)
        # A few team leaders leave the plan column empty.
        planned = np.where(rng.random(len(day)) < 0.04, np.nan, daily.planned)
        frames.append(
            pl.DataFrame(
                {
                    "day": day,
                    "process_index": np.full(len(day), process_index),
                    "row": daily.line,
                    "workshop": _labels(WORKSHOP_NAMES, workshop),
                    "process": _labels(PROCESSES, np.full(len(day), process_index)),
                    "planned_qty": planned,
                    "output_qty": daily.output,
                    "defect_qty": rng.binomial(daily.output, defect_rate),
                    "delay_reason": _labels(DELAY_REASONS, reason),
                }
            )
        )
    reports_frame = pl.concat(frames).filter(pl.col("day") <= 0).sort("day", "process_index", "workshop", "row")
    reports_frame = reports_frame.with_columns(
        pl.col("planned_qty").fill_nan(None).cast(pl.Int64),
        order_no=lines["order_no"].gather(reports_frame["row"]),
        line_no=lines["line_no"].gather(reports_frame["row"]),
    )
    # Every line has sewing reports, in line order, and reaches half its quantity in one of them.
    half_packed = sewing.cumulative * 2 >= quantity[sewing.line]
    _, first_half = np.unique(sewing.line[half_packed], return_index=True)
    last_report = np.r_[np.flatnonzero(np.diff(sewing.line)), len(sewing.line) - 1]
    summary = pl.DataFrame(
        {
            "line": lines["line"],
            "pack_end_day": sewing_day[last_report] + PROCESS_LAG["packing"],
            "half_packed_day": sewing_day[half_packed][first_half] + PROCESS_LAG["packing"],
            "half_packed_qty": sewing.cumulative[half_packed][first_half],
        }
    )
    return _with_dates(reports_frame, as_of, report_date="day"), summary


# ---------------------------------------------------------------- shipping and receivables


def simulate_shipments(rng: np.random.Generator, lines: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Shipments up to A of the lines whose packing ends (`pack_end_day` etc. from production).

    Goods leave a few days after packing, not much before the due date; one line in
    ten ships in two parts, a few leave a balance that never ships. One shipment per
    customer per day, and in it one invoice per sales order, covering its lines.
    """
    count = lines.height
    quantity = lines["quantity"].to_numpy()
    due = lines["due_day"].to_numpy()
    # Inspection and booking take days; goods packed early wait for the order's sailing.
    ready = lines["pack_end_day"].to_numpy() + rng.integers(1, 7, count)
    order = lines["order"].to_numpy()
    final_day = np.maximum(ready, due - rng.integers(0, 7, order.max() + 1)[order])
    first_part_day = lines["half_packed_day"].to_numpy() + 1
    first_part = lines["half_packed_qty"].to_numpy() // 10 * 10
    in_two_parts = (
        (rng.random(count) < 0.10) & (final_day - first_part_day >= 3) & (first_part >= 10) & (first_part < quantity)
    )
    short_shipped = ~in_two_parts & (rng.random(count) < 0.006) & (due < -45)
    short_quantity = np.maximum(10, (quantity * rng.uniform(0.7, 0.95, count)) // 10 * 10).astype(np.int64)

    row = np.r_[np.flatnonzero(in_two_parts), np.arange(count)]
    day = np.r_[first_part_day[in_two_parts], final_day]
    shipped = np.r_[
        first_part[in_two_parts],
        np.where(in_two_parts, quantity - first_part, np.where(short_shipped, short_quantity, quantity)),
    ]
    shipped_by_as_of = day <= 0
    row, day, shipped = row[shipped_by_as_of], day[shipped_by_as_of], shipped[shipped_by_as_of]
    customer = lines["customer"].to_numpy()[row]
    by_date = np.lexsort((row, customer, day))
    row, day, shipped, customer = row[by_date], day[by_date], shipped[by_date], customer[by_date]
    same_day = np.r_[False, np.diff(day) == 0]
    new_shipment = ~(same_day & np.r_[False, np.diff(customer) == 0])
    new_invoice = ~(same_day & np.r_[False, np.diff(order[row]) == 0])
    shipment, invoice = np.cumsum(new_shipment) - 1, np.cumsum(new_invoice) - 1
    unit_price = lines["unit_price"].to_numpy()[row]
    currency = lines["currency"].gather(row)
    amount = shipped * unit_price
    frame = pl.DataFrame(
        {
            "shipment_no": _document_numbers("SH", day[new_shipment], as_of).gather(shipment),
            "order_no": lines["order_no"].gather(row),
            "line_no": lines["line_no"].gather(row),
            "ship_day": day,
            "shipped_qty": shipped,
            "invoice_no": _document_numbers("INV", day[new_invoice], as_of).gather(invoice),
            "customer": customer,
            "invoice_amount": amount,
            "invoice_currency": currency,
        }
    ).with_columns(
        # Left empty, the loader computes the same amount and takes the line's currency.
        amount=pl.when(pl.Series(rng.random(len(row)) >= 0.25)).then("invoice_amount"),
        currency=pl.when(pl.Series(rng.random(len(row)) >= 0.6)).then("invoice_currency"),
    )
    return _with_dates(frame, as_of, ship_date="ship_day")


def simulate_payments(
    rng: np.random.Generator, shipments: pl.DataFrame, customers: pl.DataFrame, as_of: dt.date
) -> pl.DataFrame:
    """Payments up to A, by each customer's habit: on time, late, in parts, or stopping altogether.

    Partial payers dispute one invoice in seven and never pay its balance; banks
    keep a small charge off a few payments, leaving a residue outstanding.
    """
    invoices = shipments.group_by("invoice_no", maintain_order=True).agg(
        pl.col("customer").first(), pl.col("ship_day").first(), pl.col("invoice_amount").sum()
    )
    count = invoices.height
    customer = invoices["customer"].to_numpy()
    habit = customers["payer"].to_numpy()[customer]
    invoice_day = invoices["ship_day"].to_numpy()
    due = invoice_day + customers["payment_terms_days"].to_numpy()[customer]
    stopped_paying_on = rng.integers(-260, -120, customers.height)[customer]
    random = rng.random(count)
    parts = np.select(
        [habit == "prompt", habit == "late", habit == "partial"],
        [1, 1 + (random < 0.1), 2 + (random < 0.2)],
        default=np.where(invoice_day < stopped_paying_on, 1, 0),
    )
    first_delay = np.select(
        [habit == "prompt", habit == "late", habit == "partial"],
        [
            np.where(random < 0.06, rng.integers(10, 41, count), rng.integers(-6, 4, count)),
            rng.integers(8, 81, count),
            rng.integers(-5, 11, count),
        ],
        default=rng.integers(20, 111, count),
    )
    first_day = np.maximum(due + first_delay, invoice_day + 1)
    invoice, part = _group_offsets(parts)
    gap = np.where(part == 0, 0, rng.integers(15, 51, len(part)))
    day = first_day[invoice] + _grouped_cumsum(gap, parts)
    total = invoices["invoice_amount"].to_numpy()
    first_share = rng.uniform(0.3, 0.6, count)
    second_share = np.where(parts == 3, rng.uniform(0.2, 0.35, count), 0.0)
    is_last = part == parts[invoice] - 1
    share = np.where(part == 0, first_share[invoice], second_share[invoice])
    amount = np.where(is_last, 0, np.round(total[invoice] * share)).astype(np.int64)
    paid_before_last = np.bincount(invoice, weights=amount, minlength=count).astype(np.int64)
    amount[is_last] = total[invoice[is_last]] - paid_before_last[invoice[is_last]]
    bank_charge = np.where(rng.random(count) < 0.015, rng.integers(1500, 4501, count), 0)[invoice]
    amount = np.where(is_last, np.maximum(amount - bank_charge, 1), amount)
    disputed = (habit == "partial") & (rng.random(count) < 0.15)
    keep = (day <= 0) & ~(is_last & disputed[invoice] & (parts[invoice] > 1))
    invoice, day, amount = invoice[keep], day[keep], amount[keep]
    by_date = np.lexsort((invoice, day))
    invoice, day, amount = invoice[by_date], day[by_date], amount[by_date]
    frame = pl.DataFrame(
        {
            "payment_no": _document_numbers("RC", day, as_of),
            "invoice_no": invoices["invoice_no"].gather(invoice),
            "day": day,
            "amount": amount,
        }
    )
    return _with_dates(frame, as_of, payment_date="day")


def _grouped_cumsum(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Running totals restarting at each group of a flat array of groups laid end to end."""
    running = np.cumsum(values)
    present = sizes > 0
    starts = (np.cumsum(sizes) - sizes)[present]
    return running - np.repeat(running[starts] - values[starts], sizes[present])


def simulate_factory(streams: Streams, scale: float, as_of: dt.date, emit: Callable[[str, pl.DataFrame], None]) -> None:
    """Simulate the factory, handing each entity's rows to `emit(entity, frame)` in load order.

    Production arrives in chunks of `PRODUCTION_CHUNK_LINES` order lines; every other
    entity in one frame. Frames hold at least the entity's contract columns, dates as
    dates and money in cents; extra columns are the simulation's own.
    """
    fx_rates = {"currency": list(catalog.FX_TO_USD), "rate_to_base": list(catalog.FX_TO_USD.values())}
    emit("fx_rates", pl.DataFrame(fx_rates))
    customers = simulate_customers(streams("customers"), max(MIN_CUSTOMERS, round(CUSTOMERS_PER_SCALE * scale**0.5)))
    emit("customers", customers)
    order_count = max(1, round(ORDER_LINES_PER_SCALE * scale / (1 + LINES_PER_ORDER_EXTRA)))
    lines = simulate_order_lines(streams("orders"), customers, order_count, as_of)
    emit("orders", lines)
    purchase_orders, material_ready_day = simulate_purchase_orders(streams("purchases"), lines, as_of)
    emit("purchase_orders", purchase_orders)

    to_make = (
        lines.with_row_index("line")
        .with_columns(material_ready_day=material_ready_day[lines["order"].to_numpy()])
        .filter(~pl.col("cancelled"))
    )
    spells = simulate_defect_spells(streams("defect_spells"))
    summaries = []
    for chunk, first_line in enumerate(range(0, to_make.height, PRODUCTION_CHUNK_LINES)):
        reports, summary = simulate_production(
            streams("production", chunk), to_make.slice(first_line, PRODUCTION_CHUNK_LINES), spells, as_of
        )
        emit("production_daily", reports)
        summaries.append(summary)
    shipments = simulate_shipments(streams("shipments"), to_make.join(pl.concat(summaries), on="line"), as_of)
    emit("shipments", shipments)
    emit("payments", simulate_payments(streams("payments"), shipments, customers, as_of))
