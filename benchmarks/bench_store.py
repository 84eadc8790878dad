"""Store ingest speed with fusion (not a unit test): seconds per 1,000 articles as the store grows.

Extraction is not timed: articles and their reports are generated from team-written templates
(incidents told by 1-6 outlets in different words, syndicated copies, unrelated events the same day
nearby, a year of dates across ~30 towns in 8 countries) and fed straight to ``Store.add_article``,
so the numbers are the store's own cost: near-duplicate lookup, SQL blocking, same-incident checks,
fusion and the incident/revision writes.

    python benchmarks/bench_store.py                       # 10,000 articles, rate at 1k/5k/10k
    python benchmarks/bench_store.py --articles 2000 --db /tmp/s.db --keep
    python benchmarks/bench_store.py --progress            # print each committed count (crash test)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from marsad.model import Article, Event, Evidence, Span

# (town, admin1, country, iso, lat, lon): real places, approximate coordinates
TOWNS = [
    ("Maiduguri", "Borno", "Nigeria", 566, 11.85, 13.16),
    ("Bama", "Borno", "Nigeria", 566, 11.52, 13.69),
    ("Gwoza", "Borno", "Nigeria", 566, 11.08, 13.69),
    ("Katsina", "Katsina", "Nigeria", 566, 12.99, 7.60),
    ("Zamfara", "Zamfara", "Nigeria", 566, 12.17, 6.25),
    ("Mogadishu", "Banadir", "Somalia", 706, 2.04, 45.34),
    ("Baidoa", "Bay", "Somalia", 706, 3.12, 43.65),
    ("Kismayo", "Lower Juba", "Somalia", 706, -0.36, 42.55),
    ("Beledweyne", "Hiraan", "Somalia", 706, 4.74, 45.20),
    ("Goma", "North Kivu", "Democratic Republic of Congo", 180, -1.68, 29.22),
    ("Beni", "North Kivu", "Democratic Republic of Congo", 180, 0.49, 29.47),
    ("Bunia", "Ituri", "Democratic Republic of Congo", 180, 1.57, 30.25),
    ("Rutshuru", "North Kivu", "Democratic Republic of Congo", 180, -1.18, 29.45),
    ("El Fasher", "North Darfur", "Sudan", 729, 13.63, 25.35),
    ("Omdurman", "Khartoum", "Sudan", 729, 15.64, 32.48),
    ("Nyala", "South Darfur", "Sudan", 729, 12.05, 24.88),
    ("Wad Madani", "Al Jazirah", "Sudan", 729, 14.40, 33.52),
    ("Gao", "Gao", "Mali", 466, 16.27, -0.04),
    ("Mopti", "Mopti", "Mali", 466, 14.49, -4.20),
    ("Timbuktu", "Timbuktu", "Mali", 466, 16.77, -3.01),
    ("Djibo", "Sahel", "Burkina Faso", 854, 14.10, -1.63),
    ("Kaya", "Centre-Nord", "Burkina Faso", 854, 13.09, -1.08),
    ("Fada N'gourma", "Est", "Burkina Faso", 854, 12.06, 0.36),
    ("Idlib", "Idlib", "Syria", 760, 35.93, 36.63),
    ("Aleppo", "Aleppo", "Syria", 760, 36.20, 37.16),
    ("Deir ez-Zor", "Deir ez-Zor", "Syria", 760, 35.34, 40.14),
    ("Taiz", "Taiz", "Yemen", 887, 13.58, 44.02),
    ("Marib", "Marib", "Yemen", 887, 15.46, 45.33),
    ("Hodeidah", "Al Hudaydah", "Yemen", 887, 14.80, 42.95),
]
ARMED = {
    "Nigeria": [
        "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
        "Islamic State West Africa Province",
    ],
    "Somalia": ["Al Shabaab"],
    "Democratic Republic of Congo": ["M23: March 23 Movement", "ADF: Allied Democratic Forces", "CODECO"],
    "Sudan": ["Rapid Support Forces"],
    "Mali": ["JNIM: Group for Support of Islam and Muslims", "Islamic State Sahel Province"],
    "Burkina Faso": ["JNIM: Group for Support of Islam and Muslims"],
    "Syria": ["Hayat Tahrir al-Sham", "Islamic State (Syria)"],
    "Yemen": ["Ansar Allah (Houthis)", "AQAP: Al Qaeda in the Arabian Peninsula"],
}
OUTLETS = [
    "Sahel Wire", "Daily Courier", "Horn Observer", "Kivu Morning", "Levant Dispatch", "Gulf Ledger",
    "Continental Press", "River Post", "Evening Herald", "Frontline Monitor", "Radio Voice", "Morning Star",
]  # fmt: skip
KINDS = [
    ("Battles", "Armed clash", "Political violence"),
    ("Violence against civilians", "Attack", "Political violence"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence"),
    ("Explosions/Remote violence", "Air/drone strike", "Political violence"),
    ("Protests", "Peaceful protest", "Demonstrations"),
]
LEADS = {
    "Armed clash": [
        "Fighters of {group} clashed with government troops in {town} on {day}, and {n} people were killed.",
        "At least {n} people died when soldiers and {group} militants fought for hours around {town}.",
        "Heavy fighting broke out in {town}, {admin1}, on {day} between the army and gunmen; {n} were killed.",
        "The military said it repelled an assault by {group} on {town}, killing {n} attackers.",
    ],
    "Attack": [
        "Gunmen stormed a village near {town} on {day}, killing {n} civilians, residents said.",
        "{group} fighters killed {n} villagers in an attack on a market in {town}, officials said.",
        "Armed men opened fire on worshippers in {town}, {admin1}, leaving {n} dead.",
    ],
    "Remote explosive/landmine/IED": [
        "A roadside bomb struck a minibus outside {town} on {day}, killing {n} passengers.",
        "{n} people were killed when an explosive device went off near a checkpoint in {town}.",
    ],
    "Air/drone strike": [
        "An air strike hit a neighbourhood of {town} on {day}, killing {n} people, rescuers said.",
        "Drone strikes on {town} killed {n}, a monitoring group reported.",
    ],
    "Peaceful protest": [
        "Hundreds of residents marched through {town} on {day} to demand protection from attacks.",
        "Traders in {town}, {admin1}, closed their shops and protested against rising insecurity.",
    ],
}
FILLER = [
    "The region has seen repeated violence over the past year, and aid groups say access is difficult.",
    "Local officials asked for reinforcements, saying the security forces in the area are stretched.",
    "Humanitarian agencies estimate that thousands of families have fled their homes since January.",
    "The government has promised to restore order and to compensate the families of the victims.",
    "Residents described hearing gunfire and explosions for several hours before the area fell quiet.",
    "Hospitals in the area are struggling to cope with the wounded, a health worker told reporters.",
    "Analysts say the armed groups exploit local grievances over land, water and grazing rights.",
    "Schools in several districts have been closed for months because of the insecurity.",
    "A spokesman for the armed forces declined to comment on the number of casualties.",
    "Communication networks were cut for much of the day, making it hard to verify the accounts.",
    "The United Nations called for restraint and for the protection of civilians by all parties.",
    "Farmers say they can no longer reach their fields, and food prices in the markets have doubled.",
    "Community leaders met the governor on Sunday to discuss the deteriorating situation.",
    "It was not immediately possible to reach the group for comment on the accusations.",
    "The road linking the town to the regional capital has been closed to traffic since the attack.",
    "Witnesses said several houses and a clinic were burned before the attackers withdrew.",
    "The wounded were taken by road to the nearest hospital, more than fifty kilometres away.",
    "A curfew was imposed in the town and the surrounding villages until further notice.",
    "Similar incidents have been reported in neighbouring districts in recent weeks.",
    "Rights groups have urged an independent investigation into the events.",
    "Displaced people living in camps nearby say they fear further violence as the dry season ends.",
    "Security sources said the attackers arrived on motorcycles and fled into the bush.",
    "The death toll could rise, a local official warned, as several people remain missing.",
    "Officials said the situation was now under control and that patrols had been stepped up.",
    "Trade across the border has slowed sharply, according to merchants in the main market.",
    "Religious leaders appealed for calm and urged young people not to take revenge.",
    "The violence comes weeks before planned local elections in the province.",
    "Journalists were not allowed into the area, and accounts could not be independently confirmed.",
    "Relief convoys were turned back at a checkpoint on the main road, a charity said.",
    "Many residents spent the night in the bush and returned only after soldiers arrived.",
]


def _text(rng: random.Random, lead: str, words: int) -> str:
    parts = [lead]
    pool = FILLER[:]
    rng.shuffle(pool)
    k = 0
    while sum(len(p.split()) for p in parts) < words:
        parts.append(pool[k % len(pool)] + ("" if k < len(pool) else f" ({k // len(pool)})"))
        k += 1
    return " ".join(parts)


def generate(
    n_articles: int, seed: int = 0, words: int = 300, days: int = 366
) -> Iterator[tuple[Article, list[Event]]]:
    """``n_articles`` (article, reports) pairs: incidents told by several outlets, copies, neighbours,
    dated over ``days`` days (fewer days: more same-day events per town to tell apart)."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    made = 0
    incident = 0
    while made < n_articles:
        incident += 1
        town, admin1, country, iso, lat, lon = rng.choice(TOWNS)
        et, st, disorder = rng.choice(KINDS)
        day = start + timedelta(days=rng.randrange(days))
        group = rng.choice(ARMED[country])
        killed = 0 if st == "Peaceful protest" else rng.randint(1, 40)
        tellings = min(rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6]), n_articles - made)
        previous: str | None = None
        for t in range(tellings):
            outlet = rng.choice(OUTLETS)
            if previous is not None and rng.random() < 0.25:
                # a syndicated copy: the earlier story with a phrase changed
                text = previous.replace("said", "told reporters", 1) + f" ({outlet})"
            else:
                lead = rng.choice(LEADS[st]).format(
                    group=group, town=town, admin1=admin1, day=day.strftime("%A"), n=killed
                )
                text = _text(rng, lead, words)
            previous = text
            aid = f"i{incident:06d}-{t}"
            published = day + timedelta(days=rng.choice([0, 1, 1, 2]))
            a = Article(
                text=text, id=aid, source=outlet, url=f"https://news.example/{aid}", published=published
            )
            figure = killed + (rng.choice([0, 0, 2, 5]) if killed else 0)
            generic = rng.random() < 0.3 and st != "Peaceful protest"
            actor2 = f"Unidentified Armed Group ({country})" if generic else group
            ev = Event(
                article_id=aid,
                event_date=day.isoformat(),
                time_precision=rng.choice([1, 1, 1, 1, 2]),
                disorder_type=disorder,
                event_type=et,
                sub_event_type=st,
                actor1=f"Protesters ({country})"
                if st == "Peaceful protest"
                else f"Military Forces of {country}",
                inter1=6 if st == "Peaceful protest" else 1,
                actor2="" if st == "Peaceful protest" else actor2,
                inter2=None if st == "Peaceful protest" else (3 if generic else 2),
                iso=iso,
                country=country,
                admin1=admin1,
                location=town,
                latitude=round(lat + rng.uniform(-0.05, 0.05), 4),
                longitude=round(lon + rng.uniform(-0.05, 0.05), 4),
                geo_precision=1,
                source=outlet,
                notes=text[:200],
                fatalities=figure,
                confidence=round(rng.uniform(0.4, 0.9), 2),
                evidence={
                    "fatalities": Evidence([Span(0, len(text.split(".")[0]), text.split(".")[0])], "explicit")
                },
            )
            yield a, [ev]
            made += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--words", type=int, default=300, help="Words per generated article.")
    ap.add_argument(
        "--days", type=int, default=366,
        help="Days the events spread over (0: one day per 8 articles, a steady feed whose density does not grow).",
    )  # fmt: skip
    ap.add_argument("--db", type=Path, default=None, help="Store file (default: a temporary one).")
    ap.add_argument("--keep", action="store_true", help="Keep the store file.")
    ap.add_argument(
        "--batch", type=int, default=1,
        help="Articles per transaction (marsad ingest uses 32; 1 = a commit per article, the worst case).",
    )  # fmt: skip
    ap.add_argument("--progress", action="store_true", help="Print the count after each committed batch.")
    ap.add_argument("--marks", default="1000,5000,10000", help="Report the rate at these counts.")
    args = ap.parse_args()
    from marsad.store import Store

    marks = sorted({int(m) for m in args.marks.split(",") if m})
    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory()
        args.db = Path(tmp.name) / "bench.db"
    with Store(args.db) as st:
        done = st.count_articles()
        t0 = last = time.perf_counter()
        c0 = clast = time.process_time()
        last_n = 0
        batch: list[tuple[Article, list[Event]]] = []
        days = args.days or max(1, args.articles // 8)
        for i, item in enumerate(generate(args.articles, args.seed, args.words, days), 1):
            batch.append(item)
            if len(batch) < args.batch and i not in marks and i != args.articles:
                continue
            st.add_many(batch)
            batch.clear()
            if args.progress:
                print(i, flush=True)
            if i in marks:
                now, cpu = time.perf_counter(), time.process_time()
                print(
                    f"{i:6d} articles: {now - t0:7.1f} s total ({cpu - c0:.1f} s CPU); last {i - last_n} at "
                    f"{1000 * (now - last) / (i - last_n):.2f} s per 1,000 "
                    f"({1000 * (cpu - clast) / (i - last_n):.2f} s CPU; "
                    f"{st.count_incidents()} incidents, {st.count_revisions()} revisions)",
                    file=sys.stderr,
                )
                last, clast, last_n = now, cpu, i
        if not args.progress:
            print(
                f"store: {st.count_articles() - done} new articles, {st.count_reports()} reports, "
                f"{st.count_incidents()} incidents, {st.summary()['near_duplicates']} near-duplicates",
                file=sys.stderr,
            )
    if tmp is not None and not args.keep:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
