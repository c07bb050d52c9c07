"""Chemistry: catalytic reactions developed by a process chemistry group."""

from challenges.engine.names import PERSON_NAMES
from challenges.engine.spec import Categorical, DomainLibrary, Numeric, Series

LIBRARY = DomainLibrary(
    name="chemistry",
    entity_kind="reaction",
    entity_plural="reactions",
    numeric=(
        Numeric("isolated_yield", "isolated yield", "%", 12.0, 98.0, 1),
        Numeric("bath_temperature", "bath temperature", "°C", 20, 220, 0),
        Numeric("hydrogen_pressure", "hydrogen pressure", "bar", 1.0, 80.0, 1),
        Numeric("catalyst_loading", "catalyst loading", "mol%", 0.1, 10.0, 2),
        Numeric("residence_time", "residence time", "min", 2, 480, 0),
        Numeric("selectivity", "selectivity", "%", 40.0, 99.5, 1),
        Numeric("enantiomeric_excess", "enantiomeric excess", "%", 5.0, 99.0, 1),
        Numeric("substrate_conversion", "substrate conversion", "%", 20.0, 100.0, 1),
        Numeric("turnover_number", "turnover number", "", 20, 9500, 0),
        Numeric("solvent_volume", "solvent volume", "mL", 5, 500, 0),
        Numeric("substrate_concentration", "substrate concentration", "mol/L", 0.05, 2.5, 2),
        Numeric("activation_energy", "apparent activation energy", "kJ/mol", 20.0, 140.0, 1),
        Numeric("product_purity", "product purity", "%", 85.0, 99.9, 1),
        Numeric("batch_mass", "batch mass", "g", 0.5, 250.0, 1),
        Numeric("process_mass_intensity", "process mass intensity", "kg/kg", 5.0, 180.0, 1),
        Numeric("stirring_rate", "stirring rate", "rpm", 100, 1500, 0),
    ),
    categorical=(
        Categorical("lead_chemist", "lead chemist", PERSON_NAMES, unique=True),
        Categorical(
            "catalyst_metal",
            "catalyst metal",
            ("palladium", "nickel", "rhodium", "copper", "iridium", "ruthenium"),
        ),
        Categorical(
            "solvent_system",
            "solvent system",
            ("toluene", "tetrahydrofuran", "acetonitrile", "ethanol", "dimethylformamide", "water"),
        ),
        Categorical(
            "reactor_type",
            "reactor type",
            (
                "batch flask",
                "continuous flow coil",
                "packed-bed column",
                "microwave vial",
                "autoclave",
            ),
        ),
    ),
    series=(
        Series(
            "annual_output", "annual output", "kg", ("2020", "2021", "2022", "2023"), 5.0, 900.0, 1
        ),
        Series(
            "solvent_recovery",
            "quarterly solvent recovery",
            "%",
            ("Q1", "Q2", "Q3", "Q4"),
            55.0,
            97.0,
            1,
        ),
    ),
    name_prefixes=(
        "Bexolin",
        "Ciprath",
        "Dravonel",
        "Ethrosil",
        "Fomalex",
        "Glyvorin",
        "Hexaril",
        "Isotrel",
        "Jorvamid",
        "Kalbrex",
        "Lupranol",
        "Maxolide",
        "Nitrevan",
        "Oxalbrin",
        "Pyrrolex",
        "Quinzabel",
        "Rhodevar",
        "Sulfarin",
        "Tazorel",
        "Ulmacid",
        "Velpirox",
        "Wexanol",
        "Xylodrin",
        "Zimbrac",
        "Aprozel",
    ),
    name_suffixes=("Route", "Variant", "Scale-Up", "Step", "Sequence"),
    name_patterns=("{prefix}-{n}", "{prefix} {suffix}"),
    program_names=("Alembic", "Crucible", "Retort", "Kiln", "Prism"),
    titles=(
        "{program} Process Chemistry Report: {count_cap} Catalytic {kind_plural_cap}",
        "Synthesis Campaign Summary of the {program} Laboratory",
    ),
    intro=(
        "The {program} process chemistry group evaluated {count} {kind_plural} as candidate "
        "steps for the manufacture of advanced intermediates. Each route was developed at bench "
        "scale, optimised for catalyst use and solvent consumption, and then repeated under "
        "the conditions that the group proposes to hand over to the kilo laboratory for further "
        "development.",
        "This report gathers the operating conditions and performance figures for every {kind} "
        "in a single reference, so that chemists and engineers planning scale-up can compare "
        "routes on yield, purity and environmental burden at a glance. Conditions are listed as "
        "run, without correction for equipment differences between the participating "
        "laboratories.",
    ),
    methods=(
        "Yields refer to material isolated after workup and purification and are corrected "
        "for purity determined by quantitative NMR against an internal standard. Conversion "
        "and selectivity were measured by HPLC on samples taken at the end of each run, and "
        "enantiomeric excess by chiral chromatography wherever a new stereocentre is formed.",
        "Catalyst loading is expressed relative to the limiting substrate. Residence time "
        "refers to the time at target temperature for batch runs and to the mean residence in "
        "the heated zone for continuous runs. Process mass intensity counts all materials "
        "entering the process, including solvents and workup reagents, per kilogram of "
        "isolated product.",
    ),
    discussion=(
        "Across the set, the highest yields were not always obtained at the highest catalyst "
        "loadings, which suggests that catalyst deactivation or side reactions limit several "
        "of the {kind_plural} more than intrinsic activity does. Solvent choice had a visible "
        "effect on purity, and routes run in polar aprotic media generally required more "
        "demanding workups before the product met specification.",
        "Continuous operation reduced solvent consumption for most routes that were "
        "transferred from flasks, and solvent recovery improved over the year as the "
        "distillation train was upgraded. The group recommends that future campaigns report "
        "process mass intensity alongside yields, since the two measures ranked the candidate "
        "routes quite differently.",
    ),
    subordinate_cues=("vendor_claim", "rough_estimate", "pilot_phase"),
    authoritative_cues=("replicated", "certified_measurement", "results_table"),
)
