"""双向核查: match two generated rosters with known truth and realistic noise.

The community's register (right) is clean; the unit's roster (left) carries the
mistakes real rosters have: typos in names (a homophone or a similar character),
one mistyped ID digit, two transposed digits, traditional characters, names in
pinyin, full-width digits, missing ID numbers, and people on only one side.
Common names repeat, as they do (王秀英 many times over).

Measured on the same data: jiceng.party.matching.match (automatic matches, and
automatic + "a person decides" pairs), exact-ID matching, and recordlinkage when it
is installed (requirements-bench.txt). Reports precision, recall, F1 and time, and
recall per kind of noise. Goal: F1 ≥ 0.98.

Size: BENCH_ROSTER people per side (default 100,000).
"""

# bench: engine-independent

import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as bench

SEED = 11
OVERLAP = 0.9  # share of each roster whose person is also on the other side
# Kinds of noise on the unit's roster, with their shares among the people on both.
NOISE = {
    "name_typo": 0.03,
    "id_digit": 0.02,
    "id_transposed": 0.01,
    "traditional": 0.03,
    "pinyin_name": 0.01,
    "fullwidth_id": 0.01,
    "missing_id": 0.02,
}
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def make_people(count, rng):
    from jiceng.demo.common import BASE_DATE
    from jiceng.demo.identity import Identities

    generator = Identities()
    people = []
    for _ in range(count):
        sex = rng.choice("MF")
        born = BASE_DATE.replace(year=BASE_DATE.year - rng.randint(18, 90))
        born = born.fromordinal(born.toordinal() + rng.randrange(365))
        origin = "local" if rng.random() < 0.8 else "other"
        people.append(
            (
                generator.person_name(rng, sex, born.year),
                generator.id_number(rng, origin, born, sex),
            )
        )
    return people


class Noise:
    """Apply one kind of noise to a (name, ID number) pair."""

    def __init__(self, rng):
        import opencc
        from pypinyin import lazy_pinyin

        from jiceng.demo import names as N

        self.rng = rng
        self.to_traditional = opencc.OpenCC("s2t").convert
        self.lazy_pinyin = lazy_pinyin
        chars = set()
        for era in N.GIVEN_NAMES.values():
            for sex in ("M", "F"):
                single, doubles = era[sex]
                chars.update(single)
                chars.update(doubles.replace(" ", ""))
        self.by_sound = {}
        for char in sorted(chars):
            self.by_sound.setdefault(lazy_pinyin(char)[0], []).append(char)
        self.chars = sorted(chars)

    def name_typo(self, name, number):
        index = self.rng.randrange(1, len(name)) if len(name) > 1 else 0
        char = name[index]
        same = [
            c for c in self.by_sound.get(self.lazy_pinyin(char)[0], []) if c != char
        ]
        other = self.rng.choice(same) if same else self.rng.choice(self.chars)
        return name[:index] + other + name[index + 1 :], number

    def id_digit(self, name, number):
        index = self.rng.randrange(17)
        digit = self.rng.choice([d for d in "0123456789" if d != number[index]])
        return name, number[:index] + digit + number[index + 1 :]

    def id_transposed(self, name, number):
        pairs = [i for i in range(16) if number[i] != number[i + 1]]
        i = self.rng.choice(pairs)
        return name, number[:i] + number[i + 1] + number[i] + number[i + 2 :]

    def traditional(self, name, number):
        return self.to_traditional(name), number

    def pinyin_name(self, name, number):
        syllables = self.lazy_pinyin(name)
        surname, given = syllables[0], "".join(syllables[1:])
        return f"{surname.capitalize()} {given.capitalize()}", number

    def fullwidth_id(self, name, number):
        return name, number.translate(FULLWIDTH)

    def missing_id(self, name, number):
        return name, ""


def make_rosters(n, seed=SEED):
    """Return (left, right, truth, noise_of) with records as (key, name, id)."""
    rng = random.Random(seed)
    both = int(n * OVERLAP)
    people = make_people(both + 2 * (n - both), rng)
    shared, only_left, only_right = (
        people[:both],
        people[both:n],
        people[n:],
    )
    noise = Noise(rng)
    kinds = list(NOISE)
    weights = [*NOISE.values(), 1 - sum(NOISE.values())]
    left, right, truth, noise_of = [], [], set(), {}
    for index, (name, number) in enumerate(shared):
        kind = rng.choices([*kinds, "clean"], weights=weights)[0]
        noisy = (
            (name, number) if kind == "clean" else getattr(noise, kind)(name, number)
        )
        if noisy == (name, number):
            kind = "clean"  # e.g. a name with no traditional form
        left.append((f"L{index}", *noisy))
        right.append((f"R{index}", name, number))
        truth.add((f"L{index}", f"R{index}"))
        noise_of[f"L{index}"] = kind
    for index, (name, number) in enumerate(only_left, start=both):
        left.append((f"L{index}", name, number))
        noise_of[f"L{index}"] = "only_left"
    for index, (name, number) in enumerate(only_right, start=both):
        right.append((f"R{index}", name, number))
    rng.shuffle(left)
    rng.shuffle(right)
    return left, right, truth, noise_of


def scores(predicted, truth):
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "pairs": len(predicted),
        "true_pairs": hits,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def by_noise(predicted, truth, noise_of):
    found = Counter()
    total = Counter()
    for left_key, right_key in truth:
        kind = noise_of[left_key]
        total[kind] += 1
        if (left_key, right_key) in predicted:
            found[kind] += 1
    return {kind: round(found[kind] / total[kind], 4) for kind in sorted(total)}


def run_jiceng(left, right):
    from jiceng.party import matching

    matching.normalize_name.cache_clear()
    matching.name_pinyin.cache_clear()
    started = time.perf_counter()
    result = matching.match(
        [matching.Person(key, name, number) for key, name, number in left],
        [matching.Person(key, name, number) for key, name, number in right],
    )
    seconds = time.perf_counter() - started
    auto = {(p.left.key, p.right.key) for p in result.matched}
    review = {(p.left.key, p.right.key) for p in result.review}
    return auto, review, seconds


def run_exact(left, right):
    started = time.perf_counter()
    by_id = {number: key for key, _name, number in right if number}
    pairs = {(key, by_id[number]) for key, _n, number in left if number in by_id}
    return pairs, time.perf_counter() - started


def run_recordlinkage(left, right):
    """A typical recordlinkage set-up: block, compare, threshold, one-to-one."""
    import pandas as pd
    import recordlinkage
    from recordlinkage.network import OneToOneLinking

    started = time.perf_counter()

    def frame(rows):
        df = pd.DataFrame(rows, columns=["key", "name", "id"]).set_index("key")
        df["born"] = df["id"].str.slice(6, 14)
        return df

    a, b = frame(left), frame(right)
    indexer = recordlinkage.Index()
    indexer.block("born")  # same birth date in the ID
    indexer.block("name")  # same name
    candidates = indexer.index(a, b)
    compare = recordlinkage.Compare()
    compare.string("name", "name", method="jarowinkler", threshold=0.85, label="name")
    compare.string("id", "id", method="levenshtein", threshold=0.85, label="id")
    compare.exact("id", "id", label="id_exact")
    features = compare.compute(candidates, a, b)
    chosen = features[features.sum(axis=1) >= 2]
    linked = OneToOneLinking(method="greedy").compute(chosen.index)
    pairs = set(map(tuple, linked.to_list()))
    return pairs, time.perf_counter() - started, len(candidates)


def main():
    n = bench.env_int("BENCH_ROSTER", 100_000)
    bench.setup_django(bench.database_url())
    with bench.section(f"generating rosters of {n:,} x {n:,}"):
        left, right, truth, noise_of = make_rosters(n)
        kinds = Counter(noise_of.values())
        print(
            "   unit roster: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items()))
        )
        print(
            f"   true pairs {len(truth):,}; only on the community's side {n - len(truth):,}"
        )

    results = {}
    with bench.section("jiceng.party.matching"):
        auto, review, seconds = run_jiceng(left, right)
        results["jiceng_auto"] = {
            "seconds": round(seconds, 2),
            **scores(auto, truth),
            "recall_by_noise": by_noise(auto, truth, noise_of),
        }
        results["jiceng_auto_plus_review"] = {
            "seconds": round(seconds, 2),
            **scores(auto | review, truth),
            "review_pairs": len(review),
            "recall_by_noise": by_noise(auto | review, truth, noise_of),
        }
    with bench.section("exact ID numbers"):
        exact, seconds = run_exact(left, right)
        results["exact_id"] = {
            "seconds": round(seconds, 2),
            **scores(exact, truth),
            "recall_by_noise": by_noise(exact, truth, noise_of),
        }
    with bench.section("recordlinkage"):
        try:
            import recordlinkage  # noqa: F401
        except ImportError as exc:
            print(f"   recordlinkage is not installed ({exc}); skipped")
            results["recordlinkage"] = {"skipped": str(exc)}
        else:
            try:
                pairs, seconds, candidates = run_recordlinkage(left, right)
            except Exception as exc:  # a library/pandas mismatch must not stop the run
                print(f"   recordlinkage failed ({type(exc).__name__}: {exc}); skipped")
                results["recordlinkage"] = {"skipped": f"{type(exc).__name__}: {exc}"}
            else:
                results["recordlinkage"] = {
                    "seconds": round(seconds, 2),
                    "candidates": candidates,
                    **scores(pairs, truth),
                    "recall_by_noise": by_noise(pairs, truth, noise_of),
                }

    print(f"\n== summary ({n:,} x {n:,}) ==")
    rows = []
    for label, found in results.items():
        if "skipped" in found:
            rows.append((label, "skipped", "", "", "", found["skipped"][:60]))
            continue
        rows.append(
            (
                label,
                found["precision"],
                found["recall"],
                found["f1"],
                f"{found['seconds']:.1f}",
                bench.goal(found["f1"], 0.98, at_most=False),
            )
        )
    bench.table(rows, ["method", "precision", "recall", "F1", "seconds", "F1 >= 0.98"])
    print("\nrecall by kind of noise:")
    kinds = sorted(results["jiceng_auto"]["recall_by_noise"])
    bench.table(
        [
            (label, *(found["recall_by_noise"].get(k, "") for k in kinds))
            for label, found in results.items()
            if "recall_by_noise" in found
        ],
        ["method", *kinds],
    )
    jiceng = results["jiceng_auto"]
    bench.write_results(
        "reconcile",
        {
            "size": n,
            "noise": NOISE,
            "overlap": OVERLAP,
            "counts": dict(Counter(noise_of.values())),
            "figures": {
                "jiceng_f1": jiceng["f1"],
                "jiceng_f1_with_review": results["jiceng_auto_plus_review"]["f1"],
                "exact_id_f1": results["exact_id"]["f1"],
                "recordlinkage_f1": results["recordlinkage"].get("f1"),
                "jiceng_seconds": jiceng["seconds"],
                "status": {"F1 >= 0.98": bench.goal(jiceng["f1"], 0.98, at_most=False)},
            },
            "results": results,
        },
    )


if __name__ == "__main__":
    main()
