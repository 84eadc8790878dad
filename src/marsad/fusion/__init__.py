"""Cross-article fusion: near-duplicate articles, same-incident matching, fused incidents.

The store calls these; see docs of each module for the rules.
"""

from marsad.fusion.cluster import cluster, find_links, guarded_groups, link_key
from marsad.fusion.match import (
    actors_agree,
    agreement_window,
    armed_groups,
    conflicts,
    date_window,
    dates_agree,
    distance_km,
    match_score,
    places_agree,
    same_incident,
    types_agree,
    types_could_match,
)
from marsad.fusion.merge import (
    coded_totals,
    fatality_bounds,
    fatality_range,
    fuse,
    merge_claims,
    named_sources,
    report_claims,
    source_scale,
    sources_of,
)
from marsad.fusion.neardup import NearDuplicateIndex, signature, similarity

__all__ = [
    "NearDuplicateIndex",
    "actors_agree",
    "agreement_window",
    "armed_groups",
    "cluster",
    "conflicts",
    "date_window",
    "dates_agree",
    "distance_km",
    "coded_totals",
    "fatality_bounds",
    "fatality_range",
    "find_links",
    "fuse",
    "guarded_groups",
    "link_key",
    "match_score",
    "merge_claims",
    "named_sources",
    "places_agree",
    "report_claims",
    "same_incident",
    "signature",
    "similarity",
    "source_scale",
    "sources_of",
    "types_agree",
    "types_could_match",
]
