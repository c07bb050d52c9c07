"""Materials science: structural alloys in a qualification programme."""

from challenges.engine.names import PERSON_NAMES
from challenges.engine.spec import Categorical, DomainLibrary, Numeric, Series

LIBRARY = DomainLibrary(
    name="materials_science",
    entity_kind="alloy",
    entity_plural="alloys",
    numeric=(
        Numeric("tensile_strength", "ultimate tensile strength", "MPa", 180, 2100, 0),
        Numeric("yield_strength", "yield strength", "MPa", 90, 1800, 0),
        Numeric("hardness", "hardness", "HV", 60, 720, 0),
        Numeric("elongation", "elongation at break", "%", 1.0, 55.0, 1),
        Numeric("elastic_modulus", "elastic modulus", "GPa", 40, 230, 0),
        Numeric("density", "density", "g/cm³", 1.7, 9.2, 2),
        Numeric("solidus_temperature", "solidus temperature", "°C", 450, 1650, 0),
        Numeric("fracture_toughness", "fracture toughness", "MPa√m", 8.0, 140.0, 1),
        Numeric("fatigue_limit", "fatigue limit", "MPa", 60, 900, 0),
        Numeric("thermal_conductivity", "thermal conductivity", "W/m·K", 6.0, 240.0, 1),
        Numeric("thermal_expansion", "thermal expansion coefficient", "µm/m·K", 4.0, 26.0, 1),
        Numeric("grain_size", "mean grain size", "µm", 0.5, 180.0, 1),
        Numeric("corrosion_rate", "corrosion rate", "mm/yr", 0.005, 1.2, 3),
        Numeric("impurity_content", "impurity content", "ppm", 20, 1800, 0),
        Numeric("electrical_resistivity", "electrical resistivity", "µΩ·cm", 2.5, 145.0, 1),
        Numeric("impact_energy", "impact energy", "J", 5, 250, 0),
    ),
    categorical=(
        Categorical("lead_metallurgist", "lead metallurgist", PERSON_NAMES, unique=True),
        Categorical(
            "base_metal",
            "base metal",
            ("aluminium", "titanium", "nickel", "iron", "magnesium", "copper"),
        ),
        Categorical(
            "processing_route",
            "processing route",
            (
                "cast",
                "forged",
                "rolled",
                "additively manufactured",
                "powder metallurgy",
                "extruded",
            ),
        ),
        Categorical(
            "heat_treatment",
            "heat treatment",
            (
                "solution annealed",
                "quenched and tempered",
                "precipitation hardened",
                "stress relieved",
                "normalised",
            ),
        ),
    ),
    series=(
        Series(
            "annual_production",
            "annual production",
            "t",
            ("2020", "2021", "2022", "2023"),
            5.0,
            2400.0,
            0,
        ),
        Series(
            "scrap_fraction",
            "quarterly scrap fraction",
            "%",
            ("Q1", "Q2", "Q3", "Q4"),
            0.5,
            12.0,
            1,
        ),
    ),
    name_prefixes=(
        "Adamir",
        "Borveline",
        "Cobrenta",
        "Durmetra",
        "Estralon",
        "Ferrovane",
        "Galdorin",
        "Haskelit",
        "Incravel",
        "Jarrowite",
        "Korvalith",
        "Lumetrix",
        "Molvarin",
        "Norestal",
        "Oberlith",
        "Pravonit",
        "Quelstar",
        "Rendalite",
        "Stavrolin",
        "Tergamet",
        "Ulvenite",
        "Vardonite",
        "Wolvetra",
        "Xeltrium",
        "Yttravel",
        "Zerkanite",
    ),
    name_suffixes=("Plate", "Bar", "Sheet", "Billet", "Wire"),
    name_patterns=("{prefix}-{n}", "{prefix} {suffix}"),
    program_names=("Anvil", "Bastion", "Girder", "Rivet", "Tempest"),
    titles=(
        "{program} Materials Qualification Report: {count_cap} Structural {kind_plural_cap}",
        "Mechanical and Thermal Properties of {kind_plural_cap} in the {program} Programme",
    ),
    intro=(
        "The {program} programme qualifies candidate structural {kind_plural} for aerospace, "
        "energy and transport applications. This report covers {count} {kind_plural} that "
        "completed the full test matrix during the reporting period, each supplied by a "
        "partner foundry or mill together with its processing history and composition record, "
        "and each tested in the central laboratory of the programme.",
        "The aim is to give design engineers a consistent set of mechanical, thermal and "
        "corrosion data that can be used to shortlist materials before component-level testing "
        "begins. Property values are reported for the condition in which each material was "
        "delivered, and no attempt has been made to normalise them to a common heat treatment "
        "or product form.",
    ),
    methods=(
        "Tensile tests were performed at room temperature on machined round specimens "
        "following the relevant international standard, with strain measured by a clip-on "
        "extensometer. Hardness was measured on polished cross-sections using a diamond "
        "pyramid indenter, and grain size by the linear intercept method on etched "
        "metallographic sections.",
        "Fracture toughness was determined on compact tension specimens, and fatigue limits "
        "from stepwise loading with runout defined at a high cycle count. Thermal conductivity "
        "was measured by laser flash and thermal expansion by dilatometry, while corrosion "
        "rates come from mass loss after immersion in a neutral salt solution under controlled "
        "conditions.",
    ),
    discussion=(
        "The {kind_plural} cover a broad envelope of strength and ductility, and the usual "
        "trade-off between the two is visible across most base metals. Heat treatment had as "
        "much influence on fatigue performance as composition did, which underlines the need "
        "to qualify each processing route separately rather than relying on handbook values "
        "for a nominal grade.",
        "Scrap fractions fell during the year as partner mills gained experience with the "
        "tighter composition windows, and production volumes grew for the materials that "
        "passed qualification first. Corrosion behaviour remains the least predictable "
        "property in the set, and the programme will add longer exposure tests before "
        "recommending any of the materials for marine service.",
    ),
    subordinate_cues=("vendor_claim", "simulation_only", "extrapolation"),
    authoritative_cues=("certified_measurement", "replicated", "calibrated_instrument"),
)
