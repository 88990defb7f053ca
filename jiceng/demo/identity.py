"""Names, mobile numbers and ID numbers of generated people: realistic for the region
and birth cohort, valid (checksummed, region code alive in the birth year) and unique
within one generator."""

from stdnum import numdb
from stdnum.cn import ric

from . import names as N
from .common import pick, weighted

SURNAMES = weighted(N.SURNAMES)
ETHNICITIES = weighted(N.ETHNICITIES)


def mobile(rng):
    return rng.choice(N.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def make_id_number(region, birth, sex, order):
    """The 18-digit number for a region code, birth date and sequence 1–499."""
    body = f"{region}{birth:%Y%m%d}{order * 2 + (1 if sex == 'M' else 0):03d}"
    return body + ric.calc_check_digit(body + "0")


class Regions:
    """Weighted region codes for ID numbers, limited to codes valid in the birth year.

    python-stdnum (and so validate_id_number) rejects a code for births before the code
    existed, e.g. 510502 only from 1983, so each pool is filtered per birth year. The
    year spans are read once per code from stdnum's own GB/T 2260 table.
    """

    POOLS = {
        "local": N.LOCAL_REGIONS,
        "local_old": N.LOCAL_REGIONS_OLD,
        "other": N.OTHER_REGIONS,
    }

    def __init__(self):
        self._tables = {}
        self._spans = {}

    def spans(self, code):
        """[(first_year, last_year)] in which python-stdnum accepts the code."""
        if code not in self._spans:
            info = {}
            for _, props in numdb.get("cn/loc").info(code):
                info.update(props)
            spans = []
            for county in filter(None, info.get("county", "").split(",")):
                if not county.startswith("["):
                    spans = [(0, 9999)]
                    break
                start, end = county[1:].split("]")[0].split("-")
                spans.append((int(start or 0), int(end or 9999)))
            self._spans[code] = spans
        return self._spans[code]

    def valid(self, code, year):
        return any(start <= year <= end for start, end in self.spans(code))

    def pick(self, rng, pool, year):
        if pool == "local" and year < 1983:
            pool = "local_old"
        key = (pool, year)
        table = self._tables.get(key)
        if table is None:
            pairs = [(c, w) for c, w in self.POOLS[pool] if self.valid(c, year)]
            if not pairs:
                pairs = [(c, w) for c, w in N.OTHER_REGIONS if self.valid(c, year)]
            table = self._tables[key] = weighted(pairs)
        return pick(rng, table)


class Identities:
    """Hands out people's names, phones and ID numbers, never the same number twice."""

    def __init__(self):
        self.regions = Regions()
        self.id_numbers = set()
        self.phones = set()

    def person_name(self, rng, sex, birth_year):
        surname = pick(rng, SURNAMES)
        return surname + self.given_name(rng, sex, birth_year)

    def given_name(self, rng, sex, birth_year):
        era = "old" if birth_year < 1960 else "middle" if birth_year < 1990 else "young"
        pool = N.GIVEN_NAMES[era]
        chars, doubles = pool[sex]
        roll = rng.random()
        if roll < pool[f"{sex}_weight"]:
            return rng.choice(chars)
        if roll < 0.75:
            return rng.choice(doubles.split())
        return rng.choice(chars) + rng.choice(chars)

    def phone(self, rng):
        while True:
            number = mobile(rng)
            if number not in self.phones:
                self.phones.add(number)
                return number

    def id_number(self, rng, origin, birth, sex):
        region = self.regions.pick(rng, origin, birth.year)
        while True:
            number = make_id_number(region, birth, sex, rng.randrange(1, 500))
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number
