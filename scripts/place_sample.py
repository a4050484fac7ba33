#!/usr/bin/env python3
"""Places the fictional sample places at the real Nabari towns their addresses name.

    python3 scripts/place_sample.py          # rewrites data/sample-places.geojson and
                                             # data/nabari-town-areas.csv in place

`data/sample-places.geojson` holds the fictional content (names, descriptions, schedules); this
script owns everything that must agree with the real town data in `data/nabari-towns.csv`
(Geolonia 住所データ, CC BY 4.0, 国土交通省 位置参照情報を加工):

1. applies the edits listed in EDITS below (idempotent: rerunning changes nothing);
2. reads the town from each address (the longest town name that starts it, after 三重県名張市);
3. puts the point a deterministic 40–280 m from that town's point (from a hash of the address
   up to its lot number, so places at the same address share one point);
4. sets `area` from the town (see `town_area` below; written to data/nabari-town-areas.csv).

Standard library only; the output is byte-for-byte stable for the same input.
"""

import csv
import hashlib
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PREFIX = "三重県名張市"
EARTH_RADIUS_M = 6_371_008.8

HOKENSHITSU_SCHEDULE = "Mo-Fr 09:00-16:30; PH off; Dec 29-Jan 03 off"
HOKENSHITSU_NOTE = "月〜金曜 9時〜16時半（祝日と年末年始（12月29日〜1月3日）はお休み）"

# Edits by place name: each sets the listed properties. "rename" renames the place.
EDITS = {
    # 青葉台 is not a town of Nabari: its five places move to real towns nearby.
    "まちの保健室（青葉台地区）": {
        "rename": "希央台 くらしの保健相談会",
        "name_kana": "キオウダイクラシノホケンソウダンカイ",
        "category": "consultation",
        "tags": ["健康相談", "血圧測定"],
        "description": "保健師と看護師が血圧測定や健康の相談をお受けします。予約は要りません。",
        "address": "三重県名張市希央台三番町12 希央台集会所",
        "schedule": "Tu[1,3] 10:00-11:30,13:30-15:00",
        "schedule_note": "第1・第3火曜 10時〜11時半と13時半〜15時",
    },
    "青葉台 いきいき百歳体操": {
        "rename": "希央台 いきいき百歳体操",
        "name_kana": "キオウダイイキイキヒャクサイタイソウ",
        "address": "三重県名張市希央台三番町12 希央台集会所",
    },
    "青葉台 健康麻雀の会": {
        "rename": "鴻之台 健康麻雀の会",
        "name_kana": "コウノダイケンコウマージャンノカイ",
        "address": "三重県名張市鴻之台三番町40 鴻之台集会所",
    },
    "青葉台 サロン あおば": {
        "rename": "富貴ケ丘 サロン あおば",
        "name_kana": "フキガオカサロンアオバ",
        "address": "三重県名張市富貴ケ丘三番町45 富貴ケ丘集会所",
    },
    "青葉台 親子ひろば はっぱ": {
        "rename": "希央台 親子ひろば はっぱ",
        "name_kana": "キオウダイオヤコヒロバハッパ",
        "address": "三重県名張市希央台三番町12 希央台集会所",
    },
    "まちの保健室（百合が丘地区）": {
        "rename": "まちの保健室（青蓮寺・百合が丘地区）",
        "name_kana": "マチノホケンシツショウレンジユリガオカチク",
        "address": "三重県名張市百合が丘西五番町50 青蓮寺・百合が丘地区市民センター内",
    },
    # 名張市中村 does not exist; 薦原's centre is in 薦生.
    "まちの保健室（薦原地区）": {"address": "三重県名張市薦生2150 薦原地区市民センター内"},
    "中村 通いの場 ほっこり": {
        "rename": "薦生 通いの場 ほっこり",
        "name_kana": "コモオツドイノバホッコリ",
        "address": "三重県名張市薦生1870 薦生集会所",
    },
    "薦原 おたすけ隊": {"address": "三重県名張市薦生2150 薦原地区市民センター内"},
    "美旗中村 いきいき百歳体操": {"address": "三重県名張市美旗中村1820 中村公民館"},
    # A variety of real schedule patterns (OSM opening_hours).
    "蔵持 ふれあいサロン くらもち": {
        "schedule": "We[2,4] 13:30-15:30",
        "schedule_note": "第2・第4水曜 13時半〜15時半",
    },
    "桔梗が丘 パソコン・スマホ教室": {
        "schedule": "Fr[-1] 10:00-12:00",
        "schedule_note": "毎月最終金曜 10時〜12時",
    },
    "梅が丘 絵手紙の会": {
        "schedule": "Fr[-1] 13:30-15:30",
        "schedule_note": "毎月最終金曜 13時半〜15時半",
    },
    "旧町 ほっとスペース まちかど": {
        "schedule": "We,Fr 10:00-12:00,13:00-16:00; PH off",
        "schedule_note": "毎週水・金曜 10時〜12時と13時〜16時（祝日は休み）",
    },
    "暮らしと仕事の相談窓口（名張）": {
        "schedule": "Mo-Fr 08:30-17:15; PH off; Dec 29-Jan 03 off",
        "schedule_note": "月〜金曜 8時半〜17時15分（祝日と年末年始は休み）",
    },
    "すずらん台 卓球クラブ": {
        "schedule": "We 13:00-15:00; Sa 09:00-11:00,13:00-15:00",
        "schedule_note": "毎週水曜 13時〜15時、土曜 9時〜11時と13時〜15時",
    },
    "比奈知 そば打ち同好会": {
        "schedule": "Su[-1] 10:00-13:00; Dec off",
        "schedule_note": "毎月最終日曜 10時〜13時（12月は休み）",
    },
    "赤目 里山さんぽの会": {
        "schedule": "Apr-Nov Su[2] 09:00-11:30",
        "schedule_note": "4月〜11月の第2日曜 9時〜11時半",
    },
}

# Areas whose towns are named outright; every other town goes to the nearest area centroid.
AREA_TOWN_PREFIXES = {
    "nabari": ["元町", "本町", "新町", "丸之内", "栄町", "榊町", "鍛冶町", "中町", "南町",
               "松崎町", "豊後町", "上本町", "木屋町", "東町", "柳原町", "朝日町", "上八町",
               "平尾", "桜ケ丘", "希央台"],
    "kuramochi": ["蔵持町", "緑が丘", "八幡", "夏秋", "松原町", "鴻之台"],
    "kawanishi_umegaoka": ["梅が丘", "大屋戸", "短野", "下三谷", "大谷"],
    "minowa": ["夏見", "箕曲中村", "瀬古口"],
    "yurigaoka": ["青蓮寺", "百合が丘", "南百合が丘"],
    "tsutsujigaoka_kasugaoka": ["つつじが丘", "春日丘", "富貴ケ丘"],
    "hinachi": ["上比奈知", "下比奈知", "滝之原"],
    "suzurandai": ["すずらん台"],
    "kunitsu": ["奈垣", "神屋", "布生", "長瀬", "上長瀬"],
    "kinsei": ["安部田", "矢川", "竜口", "上三谷", "井手", "結馬", "黒田"],
    "akame": ["赤目町"],
    "komohara": ["薦生", "家野", "鵜山"],
    "mihata": ["美旗", "上小波田", "下小波田", "新田", "西田原", "東田原", "西原町", "南古山"],
    "kikyogaoka": ["桔梗が丘", "さつき台"],
}

KANJI_DIGITS = "〇一二三四五六七八九"


def haversine_m(a, b):
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def load_towns():
    with open(DATA / "nabari-towns.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    towns = {}
    for r in rows:
        towns.setdefault(r["town"], []).append((float(r["lng"]), float(r["lat"])))
    return towns


def town_area(towns, areas):
    """Each town's area: by the prefixes above, else the nearest area centroid."""
    result = {}
    for town, points in towns.items():
        named = [code for code, prefixes in AREA_TOWN_PREFIXES.items()
                 if any(town.startswith(p) for p in prefixes)]
        if len(named) > 1:
            sys.exit(f"town {town} matches several areas: {named}")
        if named:
            result[town] = named[0]
        else:
            result[town] = min(areas, key=lambda a: haversine_m(points[0], a["centroid"]))["code"]
    return result


def normalise_address(address):
    """「桔梗が丘1番町」 → 「桔梗が丘一番町」 and 「美旗町中1番」 → 「美旗町中一番」, as the town list spells them."""
    return re.sub(r"(?<=[^\d\-])(\d)番", lambda m: KANJI_DIGITS[int(m.group(1))] + "番", address)


def town_of(address, towns):
    if not address.startswith(PREFIX):
        return None
    rest = address[len(PREFIX):]
    matches = [t for t in towns if rest.startswith(t)]
    return max(matches, key=len) if matches else None


def jitter(origin, key):
    """A point 40–280 m from `origin`, in a direction and at a distance drawn from `key`."""
    h = hashlib.sha256(key.encode("utf-8")).digest()
    bearing = int.from_bytes(h[:4], "big") / 2**32 * 2 * math.pi
    distance = 40 + int.from_bytes(h[4:8], "big") / 2**32 * 240
    lon, lat = origin
    dlat = distance * math.cos(bearing) / EARTH_RADIUS_M
    dlon = distance * math.sin(bearing) / (EARTH_RADIUS_M * math.cos(math.radians(lat)))
    return [round(lon + math.degrees(dlon), 6), round(lat + math.degrees(dlat), 6)]


def main():
    towns = load_towns()
    areas = json.loads((DATA / "areas.json").read_text(encoding="utf-8"))["areas"]
    area_codes = {a["code"] for a in areas}
    areas_of_towns = town_area(towns, areas)

    path = DATA / "sample-places.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    errors = []
    for feature in collection["features"]:
        p = feature["properties"]
        edit = EDITS.get(p["name"], {})
        for key, value in edit.items():
            if key == "rename":
                p["name"] = value
            else:
                p[key] = value
        if p["category"] == "machi_hokenshitsu":
            p["schedule"] = HOKENSHITSU_SCHEDULE
            p["schedule_note"] = HOKENSHITSU_NOTE
        p["address"] = normalise_address(p["address"])
        town = town_of(p["address"], towns)
        if town is None:
            errors.append(f"{p['name']}: no Nabari town in {p['address']!r}")
            continue
        lot = p["address"].split(" ")[0]
        # A town listed twice (several 小字) keeps the first point: the one a gazetteer returns.
        feature["geometry"]["coordinates"] = jitter(towns[town][0], lot)
        p["area"] = areas_of_towns[town]
        assert p["area"] in area_codes, p["area"]
        assert p["sample"] is True
        assert p["phone"] == "" or re.fullmatch(r"0595-00-0\d{3}", p["phone"]), p["phone"]
        assert p["email"] == "" or p["email"].endswith("@example.org"), p["email"]
        assert p["url"] == "" or p["url"].startswith("https://example.org/"), p["url"]
    if errors:
        sys.exit("\n".join(errors))

    names = [f["properties"]["name"] for f in collection["features"]]
    assert len(names) == len(set(names)), "names are unique"
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    with open(DATA / "nabari-town-areas.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["town", "area"])
        for town in sorted(areas_of_towns):
            w.writerow([town, areas_of_towns[town]])

    # How far each area's listed centroid is from the mean of its towns' points.
    for a in areas:
        points = [p for t, code in areas_of_towns.items() if code == a["code"] for p in towns[t]]
        mean = [sum(x[0] for x in points) / len(points), sum(x[1] for x in points) / len(points)]
        print(f"{a['code']:>24}: {len(points):3} town points, mean "
              f"{mean[1]:.3f},{mean[0]:.3f}; listed centroid {haversine_m(mean, a['centroid']):5.0f} m away",
              file=sys.stderr)


if __name__ == "__main__":
    main()
