"""Climate science: monitoring stations of a surface observing network."""

from challenges.engine.names import PERSON_NAMES
from challenges.engine.spec import Categorical, DomainLibrary, Numeric, Series

LIBRARY = DomainLibrary(
    name="climate_science",
    entity_kind="station",
    entity_plural="stations",
    numeric=(
        Numeric("mean_air_temperature", "mean air temperature", "°C", 0.0, 28.5, 1),
        Numeric("annual_precipitation", "annual precipitation", "mm", 80, 3200, 0),
        Numeric("elevation", "elevation", "m", 2, 3800, 0),
        Numeric("relative_humidity", "relative humidity", "%", 25.0, 95.0, 1),
        Numeric("mean_wind_speed", "mean wind speed", "m/s", 0.8, 12.0, 1),
        Numeric("sunshine_duration", "sunshine duration", "hours", 900, 3600, 0),
        Numeric("snow_cover_duration", "snow cover duration", "days", 0, 210, 0),
        Numeric("frost_days", "frost days", "days", 0, 180, 0),
        Numeric("carbon_dioxide", "carbon dioxide concentration", "ppm", 405.0, 425.0, 1),
        Numeric("soil_moisture", "soil moisture", "%", 5.0, 45.0, 1),
        Numeric("sea_level_pressure", "mean sea-level pressure", "hPa", 995.0, 1025.0, 1),
        Numeric("record_completeness", "record completeness", "%", 82.0, 100.0, 1),
        Numeric("distance_from_coast", "distance from coast", "km", 0.5, 850.0, 1),
        Numeric("heatwave_days", "heatwave days", "days", 0, 75, 0),
        Numeric("maximum_daily_rainfall", "maximum daily rainfall", "mm", 15.0, 260.0, 1),
        Numeric("pan_evaporation", "pan evaporation", "mm", 400, 2600, 0),
    ),
    categorical=(
        Categorical("site_manager", "site manager", PERSON_NAMES, unique=True),
        Categorical(
            "climate_zone",
            "climate zone",
            ("tropical", "arid", "temperate", "continental", "alpine", "maritime"),
        ),
        Categorical(
            "sensor_housing",
            "sensor housing",
            ("Stevenson screen", "aspirated shield", "multi-plate shield", "open mast"),
        ),
        Categorical(
            "land_cover",
            "surrounding land cover",
            ("cropland", "grassland", "forest", "urban", "wetland", "coastal dune"),
        ),
    ),
    series=(
        Series(
            "growing_season",
            "growing season length",
            "days",
            ("2020", "2021", "2022", "2023"),
            90.0,
            330.0,
            0,
        ),
        Series(
            "quarterly_precipitation",
            "quarterly precipitation total",
            "mm",
            ("Q1", "Q2", "Q3", "Q4"),
            10.0,
            900.0,
            0,
        ),
    ),
    name_prefixes=(
        "Arnsholt",
        "Brekvanger",
        "Corrasdale",
        "Dunvellan",
        "Eskdrummel",
        "Falnheim",
        "Glenturra",
        "Hallsvarik",
        "Ingleborth",
        "Jorundstad",
        "Kelmaragh",
        "Lintwarden",
        "Morvenstock",
        "Nethercairn",
        "Osterflake",
        "Pendarrow",
        "Quarnhollow",
        "Rathmolin",
        "Skarvholm",
        "Tornabeg",
        "Ulvhaugen",
        "Vandermoss",
        "Wistlecombe",
        "Yarnholme",
        "Zelmarsh",
        "Ardenvoe",
    ),
    name_suffixes=("North", "South", "East", "West", "Ridge"),
    name_patterns=("{prefix} {suffix}", "{prefix}-{n}"),
    program_names=("Isobar", "Cirrus", "Nimbus", "Monsoon", "Stratus"),
    titles=(
        "{program} Observing Network: Climate Record of {count_cap} Monitoring {kind_plural_cap}",
        "Annual Climate Summary of the {program} Surface Network",
    ),
    intro=(
        "The {program} surface network operates {count} automatic monitoring {kind_plural} "
        "spread across contrasting climate zones and land cover types. The network was set up "
        "to provide a long, homogeneous record for regional climate assessment, and each site "
        "follows the same siting, maintenance and data transmission rules, so that differences "
        "between sites reflect climate rather than practice.",
        "This report summarises the climate and site characteristics of every {kind} in the "
        "network for the most recent reporting cycle. It is intended for hydrologists, "
        "agronomists and regional planners who need a consistent baseline, and for the "
        "maintenance team of the network, which uses the figures to prioritise site visits and "
        "instrument replacement.",
    ),
    methods=(
        "Air temperature and humidity were recorded at standard height every minute and "
        "aggregated to daily and annual means after automated quality control. Precipitation "
        "was measured with heated weighing gauges, so that snowfall is included as liquid "
        "equivalent, and wind speed at mast height with ultrasonic anemometers mounted clear of "
        "nearby obstacles.",
        "Record completeness is the share of expected observations that passed quality control "
        "over the reporting year. Frost days count days with a minimum temperature below "
        "freezing, heatwave days follow the national definition based on consecutive hot days, "
        "and the growing season length is taken from the first and last spells of days above "
        "the thermal threshold used by the agricultural service.",
    ),
    discussion=(
        "Across the network, the {kind_plural} capture the expected contrasts between coastal "
        "and inland sites, with inland locations showing larger seasonal swings and more "
        "frost. Elevation explains much of the remaining temperature variation, although sites "
        "in built-up surroundings can run warmer than their altitude alone would suggest, a "
        "reminder that local land cover must be considered when using the record.",
        "Completeness improved during the reporting period after the network replaced ageing "
        "data loggers and added redundant power supplies at remote sites. The maintenance team "
        "recommends extending soil moisture measurements to every location and installing a "
        "second precipitation gauge where snowfall is frequent, since undercatch remains the "
        "largest single source of uncertainty in the winter record.",
    ),
    subordinate_cues=("simulation_only", "extrapolation", "preliminary_estimate"),
    authoritative_cues=("calibrated_instrument", "verified_record", "final_analysis"),
)
