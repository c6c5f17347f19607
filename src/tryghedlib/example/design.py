"""What the synthetic example must contain: the published targets and the design of other years.

Everything the generator draws at random is steered by the numbers here. The *targets* are the
figures of the 2021 status note for Tingbjerg-Husum (``tests/published_figures_2021.yaml``);
the rest are plausible values for years and areas the note does not print.
"""

from __future__ import annotations

SEED = 2021
SURVEY_YEARS = tuple(range(2014, 2022))
POLICE_YEARS = tuple(range(2014, 2021))
CITY = "koebenhavn"
PARTNERSHIP = "tingbjerg-husum"

# --- partnerships (mirrors config/partnerships/*.yaml; a test keeps them equal) ---------------
#: id -> (district code, [(first_year, last_year, sub-areas), ...])
PARTNERSHIPS = {
    "tingbjerg-husum": ("bronshoj-husum", [
        (2017, 2020, ("tingbjerg-utterslevhuse", "voldparken", "gadelandet")),
        (2021, 2024, ("tingbjerg-utterslevhuse", "voldparken", "gadelandet",
                      "skolevangen-1", "skolevangen-2")),
    ]),
    "norrebro": ("norrebro", [
        (2021, 2024, ("mjoelnerparken", "lundtoftegade")),
    ]),
    "nordvest": ("bispebjerg", [
        (2017, 2020, ("bispeparken",)),
        (2021, 2024, ("bispeparken", "tagensbo")),
    ]),
}


def partnership_subareas(partnership: str, year: int) -> tuple[str, ...]:
    """Sub-areas of a partnership in a year; years before the first period use the first."""
    periods = PARTNERSHIPS[partnership][1]
    if year < periods[0][0]:
        return periods[0][2]
    for first, last, subareas in periods:
        if first <= year <= last:
            return subareas
    raise ValueError(f"{partnership}: no period covers {year}")


def today_subareas(partnership: str) -> tuple[str, ...]:
    return PARTNERSHIPS[partnership][1][-1][2]


# --- targets of the 2021 note -------------------------------------------------------------
#: (question, area kind, year) -> share in whole percent (rounded half up)
SURVEY_TARGETS = {
    ("neighbourhood", "partnership", 2014): 22,
    ("neighbourhood", "partnership", 2020): 16,
    ("neighbourhood", "partnership", 2021): 16,
    ("neighbourhood", "district", 2021): 16,
    ("neighbourhood", "city", 2021): 9,
    ("evening", "partnership", 2014): 35,
    ("evening", "partnership", 2020): 28,
    ("evening", "partnership", 2021): 25,
    ("evening", "district", 2021): 26,
    ("evening", "city", 2021): 16,
}
#: pairs of years whose change in the partnership must NOT be significant (both questions)
NOT_SIGNIFICANT = ((2014, 2021), (2020, 2021))
ALPHA = 0.05
MAX_ABS_Z = 1.85          # margin under 1.96
MIN_ROUNDING_MARGIN = 0.15  # percentage points from a rounding boundary

#: police counts on today's area (all five sub-areas), by group
CRIME_TARGETS = {
    (2020, "borgervendt"): 271,
    (2019, "borgervendt"): 236,
    (2020, "indbrud"): 23,
    (2020, "tyveri_roeveri"): 51,
    (2020, "vold_vaaben"): 72,
    (2020, "narkotika"): 84,
    (2020, "chikane"): 65,
    (2020, "haervaerk"): 45,
    (2020, "trusler"): 23,
}
RATE_TARGETS = {  # per 1000 inhabitants, one decimal
    ("partnership", 2019): 20.4,
    ("partnership", 2020): 23.3,
    ("city", 2020): 37.9,
}
BUDGET_TARGETS = {2021: 1_934_000, 2022: 1_269_000, 2023: 1_094_000, 2024: 1_094_000}
PLAN_TARGETS = {"lines": 17, "activities": 16, "with_two_or_more_partners": 13}

# --- population ---------------------------------------------------------------------------
CITY_POPULATION = {2014: 569557, 2015: 580184, 2016: 591481, 2017: 602481, 2018: 613288,
                   2019: 623404, 2020: 632340, 2021: 638117}
SUBAREA_POPULATION = {  # 1 January; Tingbjerg-Husum sums to 11580 (2019) and 11630 (2020)
    "tingbjerg-utterslevhuse": (6215, 6260, 6300, 6335, 6360, 6390, 6420, 6445),
    "voldparken": (1690, 1698, 1702, 1708, 1711, 1715, 1720, 1726),
    "gadelandet": (862, 868, 872, 877, 881, 885, 890, 894),
    "skolevangen-1": (1372, 1380, 1386, 1392, 1398, 1405, 1410, 1418),
    "skolevangen-2": (1158, 1164, 1170, 1175, 1180, 1185, 1190, 1196),
    "mjoelnerparken": (1790, 1786, 1779, 1770, 1762, 1751, 1744, 1738),
    "lundtoftegade": (1512, 1518, 1525, 1531, 1536, 1540, 1546, 1549),
    "bispeparken": (1605, 1611, 1622, 1630, 1641, 1650, 1657, 1663),
    "tagensbo": (1388, 1394, 1401, 1409, 1415, 1421, 1428, 1433),
}
#: districts' shares of the city's population (internal: used for survey weights only)
DISTRICT_SHARE = {
    "indre-by": 0.090, "osterbro": 0.123, "norrebro": 0.124,
    "vesterbro-kongens-enghave": 0.121, "valby": 0.096, "vanlose": 0.064,
    "bronshoj-husum": 0.071, "bispebjerg": 0.085, "amager-ost": 0.096, "amager-vest": 0.130,
}

# --- police design --------------------------------------------------------------------------
#: borgervendt reports located in the city polygon (incl. the partnership), per year
CITY_CITIZEN_FACING = {2014: 25820, 2015: 25310, 2016: 24870, 2017: 24590, 2018: 24960,
                       2019: 24480, 2020: 23966}
#: per located in-city borgervendt report: how many other reports of each kind
OTHER_VOLUME = {"city_other": 0.352, "frederiksberg": 0.092, "outside": 0.050,
                "unlocated": 0.0066}
#: Tingbjerg-Husum (today's area) per year: borgervendt groups, then non-borgervendt groups
PARTNERSHIP_CRIME = {
    #      indbrud tyv/roev vold narko other | chikane haervaerk trusler other
    2014: (41, 78, 74, 62, 63, 48, 61, 21, 22),
    2015: (37, 72, 70, 60, 62, 50, 58, 19, 21),
    2016: (33, 69, 68, 61, 58, 52, 55, 22, 20),
    2017: (30, 63, 66, 54, 53, 55, 52, 20, 19),
    2018: (27, 58, 64, 51, 52, 57, 50, 22, 18),
    2019: (28, 55, 60, 52, 41, 50, 48, 20, 17),
    2020: (23, 51, 72, 84, 41, 65, 45, 23, 16),
}
PARTNERSHIP_CRIME_GROUPS = ("indbrud", "tyveri_roeveri", "vold_vaaben", "narkotika",
                            "other_citizen_facing", "chikane", "haervaerk", "trusler",
                            "other")

# --- survey design --------------------------------------------------------------------------
#: respondents per year outside the sub-areas (the base sample, proportional to population)
BASE_SAMPLE = {2014: 5230, 2015: 5310, 2016: 5180, 2017: 5400, 2018: 5350, 2019: 5290,
               2020: 5120, 2021: 5260}
#: respondents per year living in each partnership's area of that year (oversampling)
PARTNERSHIP_SAMPLE = {
    "tingbjerg-husum": {2014: 122, 2015: 132, 2016: 140, 2017: 226, 2018: 236, 2019: 241,
                        2020: 252, 2021: 262},
    "norrebro": {2014: 64, 2015: 66, 2016: 70, 2017: 150, 2018: 160, 2019: 156, 2020: 162,
                 2021: 170},
    "nordvest": {2014: 50, 2015: 52, 2016: 55, 2017: 110, 2018: 118, 2019: 121, 2020: 126,
                 2021: 175},
}
#: weighted share unsafe (%) designed for each partnership's area and year
PARTNERSHIP_SHARE = {
    "tingbjerg-husum": {
        "neighbourhood": {2014: 22.0, 2015: 21.1, 2016: 20.3, 2017: 18.8, 2018: 18.1, 2019: 17.2,
                          2020: 16.0, 2021: 16.0},
        "evening": {2014: 35.0, 2015: 33.7, 2016: 33.0, 2017: 31.3, 2018: 30.2, 2019: 29.3,
                    2020: 28.0, 2021: 25.0},
    },
    "norrebro": {
        "neighbourhood": {2014: 19.4, 2015: 18.8, 2016: 18.2, 2017: 17.1, 2018: 16.4, 2019: 15.9,
                          2020: 15.2, 2021: 14.3},
        "evening": {2014: 29.6, 2015: 28.9, 2016: 28.1, 2017: 27.2, 2018: 26.0, 2019: 25.1,
                    2020: 24.4, 2021: 23.2},
    },
    "nordvest": {
        "neighbourhood": {2014: 17.5, 2015: 17.1, 2016: 16.4, 2017: 15.8, 2018: 15.1, 2019: 14.6,
                          2020: 14.0, 2021: 13.2},
        "evening": {2014: 27.8, 2015: 27.0, 2016: 26.6, 2017: 25.7, 2018: 24.9, 2019: 24.1,
                    2020: 23.3, 2021: 22.1},
    },
}
#: share unsafe in the partnership counted without weights, where it should differ from the
#: weighted share (the note's tests are on both; see check.py)
UNWEIGHTED_SHARE = {
    ("tingbjerg-husum", "evening", 2014): 33.0,
    ("tingbjerg-husum", "evening", 2021): 26.0,
    ("tingbjerg-husum", "neighbourhood", 2014): 21.0,
}
#: weighted share unsafe (%) per district in 2021; other years scale with YEAR_FACTOR.
#: Brønshøj-Husum is a target; Amager Vest is solved for so that the city hits its target.
DISTRICT_SHARE_2021 = {
    "neighbourhood": {"indre-by": 8.2, "osterbro": 5.1, "norrebro": 10.8,
                      "vesterbro-kongens-enghave": 8.9, "valby": 6.8, "vanlose": 6.2,
                      "bronshoj-husum": 16.0, "bispebjerg": 12.9, "amager-ost": 7.1,
                      "amager-vest": 9.5},
    "evening": {"indre-by": 16.1, "osterbro": 10.9, "norrebro": 18.2,
                "vesterbro-kongens-enghave": 16.3, "valby": 13.8, "vanlose": 12.7,
                "bronshoj-husum": 26.0, "bispebjerg": 21.1, "amager-ost": 13.9,
                "amager-vest": 14.6},
}
YEAR_FACTOR = {
    "neighbourhood": {2014: 1.26, 2015: 1.22, 2016: 1.17, 2017: 1.12, 2018: 1.09, 2019: 1.06,
                      2020: 1.04, 2021: 1.0},
    "evening": {2014: 1.19, 2015: 1.16, 2016: 1.13, 2017: 1.10, 2018: 1.07, 2019: 1.05,
                2020: 1.03, 2021: 1.0},
}
CITY_ADJUSTER = "amager-vest"
#: published aggregates for years before the microdata: (year, area, question, share, n, n_eff)
PUBLISHED = [
    (2011, "koebenhavn", "nabolag", 12.3, 4712, 3795.4),
    (2011, "koebenhavn", "aften", 20.6, 4655, 3751.9),
    (2011, "bronshoj-husum", "nabolag", 19.8, 331, 268.2),
    (2011, "bronshoj-husum", "aften", 28.4, 327, 264.7),
    (2012, "koebenhavn", "nabolag", 11.9, 4856, 3911.0),
    (2012, "koebenhavn", "aften", 20.1, 4797, 3866.3),
    (2012, "bronshoj-husum", "nabolag", 19.1, 342, 277.5),
    (2012, "bronshoj-husum", "aften", 27.6, 338, 273.9),
    (2013, "koebenhavn", "nabolag", 11.6, 4931, 3968.6),
    (2013, "koebenhavn", "aften", 19.7, 4870, 3921.8),
    (2013, "bronshoj-husum", "nabolag", 18.7, 349, 282.3),
    (2013, "bronshoj-husum", "aften", 27.1, 344, 278.6),
]
