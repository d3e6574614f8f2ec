"""What the demo factory is made of: its people, customers' countries, products, suppliers and workshops.

A garment exporter in Zhejiang making ski suits, down jackets and mountaineering wear.
Every name is invented. Names that go into GBK files stay inside GBK.
"""

from __future__ import annotations

from dataclasses import dataclass

MERCHANDISERS = ("王丽", "张伟", "李娜", "陈静", "Kevin Zhou", "Emma Liu")


@dataclass(frozen=True)
class Country:
    code: str
    share: float  # of customers
    currency: str
    payment_terms: tuple[int, ...]  # the usual terms there, in days
    legal_suffix: str


COUNTRIES = (
    Country("DE", 0.14, "EUR", (30, 60), "GmbH"),
    Country("FR", 0.06, "EUR", (45, 60), "SARL"),
    Country("IT", 0.05, "EUR", (60, 90), "S.r.l."),
    Country("AT", 0.05, "EUR", (30, 60), "GmbH"),
    Country("NL", 0.04, "EUR", (30, 45), "B.V."),
    Country("SE", 0.05, "EUR", (30, 60), "AB"),
    Country("NO", 0.04, "USD", (30, 45), "AS"),
    Country("CH", 0.04, "EUR", (30, 60), "AG"),
    Country("GB", 0.05, "USD", (45, 60), "Ltd"),
    Country("US", 0.18, "USD", (45, 60, 90), "Inc."),
    Country("CA", 0.06, "USD", (45, 60), "Ltd."),
    Country("JP", 0.08, "USD", (60, 90), "Co., Ltd."),
    Country("KR", 0.06, "USD", (30, 45), "Co., Ltd."),
    Country("CN", 0.06, "CNY", (30,), "有限公司"),
)

NAME_WORDS = (
    "Alpine", "Nordic", "Summit", "Glacier", "Powder", "Snowline", "Ridge", "Frost", "Aurora", "Tundra",
    "Boreal", "Cascade", "Timberline", "Polar", "Highland", "Whiteout", "Crest", "Icefield", "Slope", "Peak",
)  # fmt: skip
NAME_TRADES = ("Outfitters", "Sports", "Outdoor", "Apparel", "Gear", "Mountain Supply")
CN_CITIES = ("上海", "杭州", "北京", "宁波", "深圳", "青岛", "沈阳", "成都", "哈尔滨", "长春")
CN_WORDS = ("雪峰", "极地", "冰川", "北岭", "远山", "云杉", "雪原", "天池", "林海", "长白")
CN_TRADES = ("贸易", "服饰", "户外用品", "体育用品", "进出口", "商贸")

# Exchange rates to the default base currency, USD.
FX_TO_USD = {"USD": "1", "EUR": "1.0850", "CNY": "0.13850"}


@dataclass(frozen=True)
class Category:
    prefix: str  # of the style number
    english: str
    chinese: str
    share: float  # of order lines
    price_usd: tuple[float, float]  # FOB range for adults
    sewing_speed: float  # relative to a simple jacket; ski suits are slow to sew


CATEGORIES = (
    Category("SK", "ski suit", "滑雪连体服", 0.18, (78.0, 145.0), 0.65),
    Category("SJ", "ski jacket", "滑雪夹克", 0.18, (52.0, 98.0), 0.8),
    Category("SP", "ski pants", "滑雪裤", 0.14, (30.0, 58.0), 1.0),
    Category("DJ", "down jacket", "羽绒服", 0.22, (45.0, 110.0), 0.8),
    Category("DV", "down vest", "羽绒背心", 0.08, (24.0, 48.0), 1.2),
    Category("MJ", "mountaineering shell jacket", "冲锋衣", 0.13, (48.0, 95.0), 0.85),
    Category("SS", "softshell jacket", "软壳衣", 0.07, (32.0, 60.0), 1.1),
)


@dataclass(frozen=True)
class Gender:
    english: str
    chinese: str
    share: float  # of order lines
    price_factor: float


GENDERS = (
    Gender("Men's", "男式", 0.45, 1.0),
    Gender("Women's", "女式", 0.4, 1.0),
    Gender("Kids'", "儿童", 0.15, 0.7),
)
CURRENCY_PRICE_FACTOR = {"USD": 1.0, "EUR": 1 / 1.085, "CNY": 7.2}


@dataclass(frozen=True)
class Material:
    name: str
    unit: str
    per_piece: float  # consumption per garment
    decimals: int  # how the quantity is ordered: whole pieces, or metres to one decimal


FABRICS = (
    Material("228T nylon taslan, PU coated", "m", 2.6, 1),
    Material("4-way stretch polyester softshell", "m", 1.8, 1),
    Material("20D nylon ripstop, down-proof", "m", 2.4, 1),
    Material("2L laminate 10K/10K", "m", 2.2, 1),
    Material("Polyester taffeta lining 190T", "m", 2.0, 1),
    Material("Brushed tricot lining", "m", 1.2, 1),
)
FILLINGS = (
    Material("White duck down 90/10", "kg", 0.22, 2),
    Material("Grey goose down 80/20", "kg", 0.25, 2),
    Material("Polyester wadding 120g", "m", 1.8, 1),
)
TRIMS = (
    Material("#5 waterproof zipper", "pcs", 1, 0),
    Material("#3 pocket zipper", "pcs", 3, 0),
    Material("Cord stopper", "pcs", 2, 0),
    Material("Snap buttons 15mm", "set", 6, 0),
    Material("Reflective tape 2cm", "m", 0.5, 1),
    Material("Elastic webbing 25mm", "m", 0.8, 1),
)
PACKAGING = (
    Material("Woven main label", "pcs", 1, 0),
    Material("Hang tag set", "pcs", 1, 0),
    Material("Polybag 60x80", "pcs", 1, 0),
    Material("Export carton 5-ply", "pcs", 0.1, 0),
)


@dataclass(frozen=True)
class Supplier:
    name: str
    materials: tuple[Material, ...]
    lead_days: tuple[int, int]  # promised lead time range
    late_share: float  # share of deliveries that arrive late
    late_days: tuple[int, int]  # how late, when late
    weight: float  # share of purchase orders


SUPPLIERS = (
    Supplier("苏州锦丰纺织有限公司", FABRICS, (20, 32), 0.08, (2, 8), 3.0),
    Supplier("绍兴柯桥宏达面料", FABRICS, (18, 30), 0.45, (5, 24), 2.5),
    Supplier("吴江盛泽永新织造", FABRICS, (22, 35), 0.12, (3, 10), 2.0),
    Supplier("Hsin Yi Textile (Taiwan)", FABRICS[:4], (28, 40), 0.05, (2, 6), 1.5),
    Supplier("常州新纶涂层面料", FABRICS[:4], (20, 30), 0.4, (6, 20), 1.5),
    Supplier("Nantong Sunrise Laminates", FABRICS[3:], (20, 28), 0.1, (2, 7), 1.0),
    Supplier("福建长源纺织", FABRICS[4:], (15, 25), 0.15, (3, 10), 1.0),
    Supplier("安徽鸿羽羽绒制品", FILLINGS, (15, 25), 0.1, (3, 9), 2.0),
    Supplier("宁波雪原羽绒", FILLINGS, (14, 24), 0.5, (7, 28), 1.2),
    Supplier("厦门永盛拉链", TRIMS[:4], (10, 18), 0.06, (2, 5), 1.8),
    Supplier("温州鹏达辅料", TRIMS, (8, 16), 0.35, (4, 15), 1.2),
    Supplier("东莞锐力织带", TRIMS[4:], (8, 15), 0.1, (2, 6), 0.8),
    Supplier("Seoul Trim Co.", TRIMS[:3], (14, 21), 0.05, (2, 5), 0.6),
    Supplier("义乌恒美包装", PACKAGING, (7, 12), 0.1, (2, 6), 1.0),
    Supplier("广州华标吊牌", PACKAGING[:2], (7, 14), 0.2, (3, 10), 0.8),
)

# Workshops by process; an order line's process runs in one of them.
WORKSHOPS = {
    "cutting": ("裁床一组", "裁床二组"),
    "sewing": ("车缝一线", "车缝二线", "车缝五线", "Sewing line 3", "Sewing line 4"),
    "finishing": ("后整车间",),
    "packing": ("包装车间", "包装二组"),
}
# Share of a process's good output that comes back as defects, on an ordinary day.
DEFECT_RATES = {"cutting": 0.008, "sewing": 0.035, "finishing": 0.018, "packing": 0.005}

# Why a day's output fell short of plan, for lines with no particular trouble.
EVERYDAY_DELAY_REASONS = {
    "plan_error": 0.2,
    "machine_breakdown": 0.15,
    "material_shortage": 0.1,
    "absenteeism": 0.15,
    "rush_order_insert": 0.2,
    "other": 0.1,
    None: 0.1,  # left blank by the team leader
}
# The one cause behind a troubled line's bad days.
TROUBLE_REASONS = ("machine_breakdown", "material_shortage", "high_defects", "absenteeism", "plan_error")
