"""Where a rule's sources come from: primary sources on the issuer's own site, and the share of
reasons that rest on one.

A source says what kind of document it is; its address must then be where that kind of document is
published (a statute on e-Gov, a ruling on courts.go.jp, a UN document on the UN's own site …), so
a mirror cannot pass for the original. Secondary sources (NGOs, law firms, news, mirrors) may stay,
but only beside a primary one: ``check`` reports the share of reasons backed by a primary source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from . import schema as s

# Hosts (and their subdomains) where each kind of primary document is published.
PRIMARY_HOSTS: dict[str, tuple[str, ...]] = {
    "statute": ("laws.e-gov.go.jp", "elaws.e-gov.go.jp"),
    # Ministries and agencies: 官報 and every ministry's own site are under go.jp.
    "notice": ("go.jp",),
    "government_answer": ("shugiin.go.jp", "sangiin.go.jp", "kokkai.ndl.go.jp", "kantei.go.jp"),
    "ruling": ("courts.go.jp",),
    "un_document": ("un.org", "ohchr.org", "unhcr.org", "refworld.org", "mofa.go.jp"),
    # Prefectures and municipalities publish under lg.jp, or under the regional names that JPRS keeps for
    # local governments (pref.X.jp, city/town/vill.X.Y.jp, metro.tokyo.jp; see _LOCAL_GOVERNMENT), or a
    # body of their own. 名古屋市 publishes under city.nagoya.jp, a designated city's name outside that pattern.
    "municipal": ("lg.jp", "metro.tokyo.jp", "city.nagoya.jp", "osaka-city-callcenter.jp", "kouikirengo-osaka.jp"),
    # The bodies that run a programme, for what they say about their own programme.
    "operator": ("rhq.gr.jp", "houterasu.or.jp", "nichibenren.or.jp", "osakafusyakyo.or.jp", "shakyo.or.jp",
                 "osaka-fuei.com", "sumai.city.osaka.jp", "japanpost.jp", "post.japanpost.jp"),
}
PRIMARY_KINDS = frozenset(PRIMARY_HOSTS)
# The share of reasons (conditions) that must rest on at least one primary source.
PRIMARY_SHARE_TARGET = 0.90


# 地方公共団体ドメイン名: pref.<prefecture>.jp and city|town|vill.<name>.<prefecture>.jp, with any subdomain.
_LOCAL_GOVERNMENT = re.compile(r"(^|\.)(pref\.[a-z]+|(city|town|vill)\.[a-z-]+\.[a-z]+)\.jp$")


def _host_matches(url: str, hosts: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if hosts is PRIMARY_HOSTS["municipal"] and _LOCAL_GOVERNMENT.search(host):
        return True
    return any(host == h or host.endswith("." + h) for h in hosts)


def host_problem(source: s.Source) -> str | None:
    """Why a source's address does not fit its kind, or None."""
    hosts = PRIMARY_HOSTS.get(source.kind)
    if hosts is None or _host_matches(source.url, hosts):
        return None
    return f"a {source.kind.replace('_', ' ')} is cited where it is published ({', '.join(hosts)}), not {source.url}"


def standard_problem(standard: s.Standard) -> list[tuple[str, str]]:
    """A standard is cited to the UN's own site (treaty text, and the committee's document with its symbol):
    (field, problem) for each address that is not."""
    hosts = PRIMARY_HOSTS["un_document"]
    problems = []
    for key in ("source", "document_url"):
        url = getattr(standard, key)
        if url is not None and not _host_matches(url, hosts):
            problems.append((key, f"a standard is cited to the UN's own site ({', '.join(hosts)}), not {url}"))
    return problems


def is_primary(source: s.Source) -> bool:
    return source.kind in PRIMARY_KINDS and host_problem(source) is None


def _ids(refs: tuple[Any, ...]) -> list[str]:
    return [r if isinstance(r, str) else r.id for r in refs]


@dataclass(frozen=True)
class Share:
    what: str
    backed: int
    total: int
    unbacked: tuple[str, ...]

    @property
    def ratio(self) -> float:
        return self.backed / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.what} backed by a primary source: {self.backed} of {self.total} ({self.ratio:.0%})"


def primary_shares(base: Any) -> list[Share]:
    """For reasons (conditions, national and local), guidance and advisories: how many cite a primary source."""
    sources = {sid: src for sid, (src, _) in base.sources.items()}

    def backed(refs: tuple[Any, ...]) -> bool:
        return any(is_primary(sources[sid]) for sid in _ids(refs) if sid in sources)

    def share(what: str, items: list[tuple[str, tuple[Any, ...]]]) -> Share:
        missing = tuple(name for name, refs in items if not backed(refs))
        return Share(what, len(items) - len(missing), len(items), missing)

    conditions = [(cid, c.sources) for cid, (c, _) in base.conditions.items()]
    conditions += [(f"{code}:{cid}", c.sources) for code, (layer, _) in base.layers.items()
                   for cid, c in layer.conditions.items()]
    guidance = [(g.id, g.sources) for prog, _ in base.programmes.values() for g in (*prog.next_steps, *prog.warnings)]
    guidance += [(g.id, g.sources) for layer, _ in base.layers.values() for items in layer.guidance.values()
                 for g in items]
    advisories = [(aid, a.sources) for aid, (a, _) in base.advisories.items()]
    return [share("reasons", conditions), share("next steps and warnings", guidance),
            share("advisories", advisories)]
