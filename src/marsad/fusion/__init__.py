"""Cross-article fusion: near-duplicate articles, same-incident matching, fused incidents.

The store calls these; see docs of each module for the rules.
"""

from marsad.fusion.cluster import cluster
from marsad.fusion.match import (
    actors_agree,
    agreement_window,
    date_window,
    dates_agree,
    distance_km,
    places_agree,
    same_incident,
    types_agree,
)
from marsad.fusion.merge import fatality_range, fuse, merge_claims, report_claims, source_scale, sources_of
from marsad.fusion.neardup import NearDuplicateIndex, signature, similarity

__all__ = [
    "NearDuplicateIndex",
    "actors_agree",
    "agreement_window",
    "cluster",
    "date_window",
    "dates_agree",
    "distance_km",
    "fatality_range",
    "fuse",
    "merge_claims",
    "places_agree",
    "report_claims",
    "same_incident",
    "signature",
    "similarity",
    "source_scale",
    "sources_of",
    "types_agree",
]
