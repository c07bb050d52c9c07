"""Biology: microbial strains held in a culture collection."""

from challenges.engine.names import PERSON_NAMES
from challenges.engine.spec import Categorical, DomainLibrary, Numeric, Series

LIBRARY = DomainLibrary(
    name="biology",
    entity_kind="strain",
    entity_plural="strains",
    numeric=(
        Numeric("growth_rate", "specific growth rate", "/h", 0.05, 1.8, 2),
        Numeric("genome_size", "genome size", "Mb", 1.2, 12.5, 2),
        Numeric("gc_content", "guanine-cytosine content", "%", 28.0, 72.0, 1),
        Numeric("optimal_temperature", "optimal growth temperature", "°C", 15.0, 65.0, 1),
        Numeric("plasmid_copy_number", "plasmid copy number", "copies/cell", 1, 500, 0),
        Numeric("protein_titre", "protein titre", "mg/L", 5, 4500, 0),
        Numeric("gene_count", "annotated gene count", "genes", 1100, 11000, 0),
        Numeric("biomass_yield", "biomass yield", "g/g", 0.1, 0.65, 3),
        Numeric("dry_cell_weight", "dry cell weight", "g/L", 0.5, 120.0, 1),
        Numeric(
            "inhibitory_concentration", "minimum inhibitory concentration", "mg/L", 0.1, 256.0, 1
        ),
        Numeric("lag_phase", "lag phase duration", "h", 0.5, 14.0, 1),
        Numeric("sequencing_coverage", "sequencing coverage", "×", 20, 450, 0),
        Numeric("oxygen_uptake", "oxygen uptake rate", "mmol/L/h", 5.0, 180.0, 1),
        Numeric("glucose_uptake", "glucose uptake rate", "mmol/g/h", 0.5, 22.0, 1),
        Numeric("cell_viability", "cell viability", "%", 60.0, 99.5, 1),
    ),
    categorical=(
        Categorical("principal_investigator", "principal investigator", PERSON_NAMES, unique=True),
        Categorical(
            "isolation_source",
            "isolation source",
            (
                "soil",
                "marine sediment",
                "hot spring",
                "wastewater",
                "rhizosphere",
                "gut microbiome",
            ),
        ),
        Categorical(
            "culture_medium",
            "culture medium",
            (
                "lysogeny broth",
                "minimal salts",
                "terrific broth",
                "yeast extract peptone",
                "defined mineral",
            ),
        ),
        Categorical(
            "sequencing_platform",
            "sequencing platform",
            ("short-read", "long-read", "hybrid", "linked-read"),
        ),
    ),
    series=(
        Series(
            "collection_requests",
            "collection requests",
            "requests",
            ("2020", "2021", "2022", "2023"),
            0.0,
            240.0,
            0,
        ),
        Series(
            "plating_efficiency",
            "quarterly plating efficiency",
            "%",
            ("Q1", "Q2", "Q3", "Q4"),
            40.0,
            98.0,
            1,
        ),
    ),
    name_prefixes=(
        "Altrovi",
        "Brevanth",
        "Cholvenia",
        "Dessarin",
        "Embrolix",
        "Fyrelda",
        "Gantrove",
        "Hollisar",
        "Ithavel",
        "Jeskarn",
        "Kivrinde",
        "Lothmere",
        "Myravec",
        "Nandrel",
        "Ophrasin",
        "Pellaquin",
        "Quenvari",
        "Rostavel",
        "Sytrenne",
        "Tovarick",
        "Ubrosca",
        "Vintressa",
        "Wyllomar",
        "Xantheva",
        "Yelvarin",
        "Zindrava",
    ),
    name_suffixes=("WT", "Rev", "Evo", "Var", "Iso"),
    name_patterns=("{prefix}-{n}", "{prefix} {suffix}"),
    program_names=("Genesis", "Helix", "Sprout", "Mycelium", "Tendril"),
    titles=(
        "{program} Culture Collection: Characterisation of {count_cap} {kind_plural_cap}",
        "Phenotypic and Genomic Survey of the {program} Microbial Collection",
    ),
    intro=(
        "The {program} culture collection maintains {count} {kind_plural} that were isolated "
        "or engineered by partner laboratories for use in industrial biotechnology. Each entry "
        "was deposited with a standard dossier describing its origin, cultivation requirements "
        "and genome, and every deposit was revived and characterised again in the central "
        "facility before being released to external users.",
        "This report brings together the growth, physiology and genome figures for each "
        "{kind} so that users can choose suitable candidates for production work without "
        "repeating basic characterisation. The figures describe behaviour under the reference "
        "conditions used by the facility and may differ from those obtained in other media, "
        "vessels or temperature regimes.",
    ),
    methods=(
        "Growth parameters were obtained from replicate shake-flask cultures monitored by "
        "automated optical density readings, with the specific growth rate taken from the "
        "exponential phase and the lag phase defined by the tangent method. Dry cell weight "
        "was measured gravimetrically after washing and drying the harvested biomass to "
        "constant mass.",
        "Genomes were sequenced and assembled in the central facility, and gene counts refer "
        "to protein-coding genes identified by the standard annotation pipeline. Minimum "
        "inhibitory concentrations were determined by broth microdilution, and plasmid copy "
        "number by quantitative PCR relative to a single-copy chromosomal marker.",
    ),
    discussion=(
        "Across the collection, growth behaviour varied widely even among closely related "
        "{kind_plural}, and genome size alone was a poor guide to productivity. Several "
        "isolates from extreme environments grew slowly under reference conditions but "
        "performed well once adapted, a pattern that argues for longer adaptation periods "
        "before production campaigns begin.",
        "Plating efficiency was monitored every quarter to detect loss of viability during "
        "storage, and request numbers show steady external demand for the best-characterised "
        "entries. The facility plans to extend the dossier with transcriptome data and to add "
        "standardised stress tolerance assays, so that users can compare robustness as easily "
        "as they now compare growth and productivity.",
    ),
    subordinate_cues=("pilot_phase", "conference_talk", "preliminary_estimate"),
    authoritative_cues=("replicated", "results_table", "verified_record"),
)
