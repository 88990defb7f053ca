"""The dispatch model itself, apart from the database: features, training, scoring.

A report becomes a bag of features — jieba words, character 2- and 3-grams (they
survive typos and colloquial words jieba does not know), its grid and compound,
its channel, the hour band and the weekend — weighted by TF-IDF. Two linear
classifiers (logistic loss, so each score is a probability) learn the category
and the handler (a department code or "grid") from closed cases. A suggestion
pairs each of the top categories with the handler most likely for both the text
and that category.
"""

import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

PUNCTUATION = re.compile(r"[\s，。！？、；：,.!?;:（）()“”\"'…·\-]+")
GRID_HANDLER = "grid"
SIMILAR_KEPT = 5000  # past cases kept in a model for "similar cases"


def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def features(sample) -> list[str]:
    """sample: text, grid, compound, channel, hour, weekday (any may be empty)."""
    text = PUNCTUATION.sub(" ", sample.get("text") or "").strip()
    result = [f"词:{w}" for w in _jieba().lcut(text) if w.strip() and len(w) > 1]
    chars = text.replace(" ", "")
    for n in (2, 3):
        result += [f"字:{chars[i : i + n]}" for i in range(len(chars) - n + 1)]
    for key, label in (("grid", "网格"), ("compound", "小区"), ("channel", "渠道")):
        if sample.get(key):
            result.append(f"{label}:{sample[key]}")
    hour = sample.get("hour")
    if hour is not None:
        band = "夜间" if hour >= 22 or hour < 6 else "白天" if hour < 18 else "傍晚"
        result.append(f"时段:{band}")
    if sample.get("weekday") is not None:
        result.append("周末" if sample["weekday"] >= 5 else "工作日")
    return result


@dataclass
class Suggestion:
    category: str
    handler: str
    confidence: float
    handler_confidence: float


@dataclass
class Model:
    vectorizer: object
    categories: object  # classifier over category codes
    handlers: object  # classifier over handler labels
    # P(handler | category) from the training cases, for pairing the two
    handler_given_category: dict = field(default_factory=dict)
    similar_matrix: object = None
    similar_keys: list = field(default_factory=list)

    def _matrix(self, samples):
        return self.vectorizer.transform(samples)

    def suggest(self, samples, k=3, *, x=None):
        """For each sample, k suggestions, most likely first."""
        x = self._matrix(samples) if x is None else x
        category_p = self.categories.predict_proba(x)
        handler_p = self.handlers.predict_proba(x)
        handler_names = list(self.handlers.classes_)
        result = []
        for row, hrow in zip(category_p, handler_p, strict=True):
            top = np.argsort(-row)[:k]
            picks = []
            for index in top:
                code = self.categories.classes_[index]
                prior = self.handler_given_category.get(code, {})
                joint = [
                    (hp * (prior.get(name, 0) + 0.05), name, hp)
                    for name, hp in zip(handler_names, hrow, strict=True)
                ]
                _score, name, hp = max(joint)
                picks.append(Suggestion(code, name, float(row[index]), float(hp)))
            result.append(picks)
        return result

    def top_handlers(self, samples, k=3):
        x = self._matrix(samples)
        names = self.handlers.classes_
        return [
            [names[i] for i in np.argsort(-row)[:k]]
            for row in self.handlers.predict_proba(x)
        ]

    def explain(self, sample, category, limit=6, *, x=None):
        """The features of this report that weighed most for the category."""
        x = (self._matrix([sample]) if x is None else x).tocsr()
        index = list(self.categories.classes_).index(category)
        coef = self.categories.coef_
        row = coef[index] if coef.shape[0] > 1 else coef[0]
        names = self._names()
        weights = [
            (float(value * row[col]), names[col])
            for col, value in zip(x.indices, x.data, strict=True)
        ]
        weights.sort(reverse=True)
        return [(name, round(w, 3)) for w, name in weights[:limit] if w > 0]

    def _names(self):
        names = self.__dict__.get("_feature_names")
        if names is None:
            names = self.__dict__["_feature_names"] = (
                self.vectorizer.get_feature_names_out()
            )
        return names

    def similar(self, sample, limit=3, *, x=None):
        """Keys of the kept past cases nearest in words (cosine of TF-IDF)."""
        if self.similar_matrix is None or not self.similar_keys:
            return []
        x = self._matrix([sample]) if x is None else x
        scores = (self.similar_matrix @ x.T).toarray().ravel()
        best = np.argsort(-scores)[:limit]
        return [(self.similar_keys[i], float(scores[i])) for i in best if scores[i] > 0]


def train(samples, categories, handlers, *, weights=None, keys=None, seed=0):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier

    vectorizer = TfidfVectorizer(
        analyzer=features, sublinear_tf=True, min_df=1, dtype=np.float32
    )
    x = vectorizer.fit_transform(samples)

    def classifier(labels):
        model = SGDClassifier(
            loss="log_loss", alpha=5e-5, max_iter=40, tol=1e-4, random_state=seed
        )
        model.fit(x, labels, sample_weight=weights)
        return model

    pairs = defaultdict(Counter)
    for category, handler in zip(categories, handlers, strict=True):
        pairs[category][handler] += 1
    given = {
        c: {h: n / sum(counts.values()) for h, n in counts.items()}
        for c, counts in pairs.items()
    }
    kept = slice(max(0, len(samples) - SIMILAR_KEPT), None)
    return Model(
        vectorizer=vectorizer,
        categories=classifier(categories),
        handlers=classifier(handlers),
        handler_given_category=given,
        similar_matrix=x[kept] if keys is not None else None,
        similar_keys=list(keys[kept]) if keys is not None else [],
    )


@dataclass
class Scores:
    category_top1: float
    category_top3: float
    handler_top1: float
    handler_top3: float
    cases: int

    @property
    def overall(self):
        """What a new model must beat: category and handler top-1 together."""
        return (self.category_top1 + self.handler_top1) / 2


def evaluate(model, samples, categories, handlers) -> Scores:
    if not samples:
        return Scores(0, 0, 0, 0, 0)
    suggested = model.suggest(samples)
    handled = model.top_handlers(samples)
    n = len(samples)
    c1 = sum(s[0].category == c for s, c in zip(suggested, categories, strict=True))
    c3 = sum(
        c in [x.category for x in s] for s, c in zip(suggested, categories, strict=True)
    )
    h1 = sum(s[0].handler == h for s, h in zip(suggested, handlers, strict=True))
    h3 = sum(h in top for top, h in zip(handled, handlers, strict=True))
    return Scores(c1 / n, c3 / n, h1 / n, h3 / n, n)


def held_out(key) -> bool:
    """A fixed fifth of cases never trains any model, so versions compare fairly."""
    return (int(key) * 2654435761) % 2**32 % 5 == 0


def keyword_scores(text, keywords) -> list[tuple[float, str]]:
    """keywords: code → words. Share of each category's words found, best first."""
    found = []
    for code, words in keywords.items():
        hits = sum(1 for w in words if w and w in text)
        if hits:
            found.append((hits / math.sqrt(len(words)), code))
    found.sort(reverse=True)
    return found
