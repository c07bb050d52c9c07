"""Physics: beamline experiments at an accelerator facility."""

from challenges.engine.names import PERSON_NAMES
from challenges.engine.spec import Categorical, DomainLibrary, Numeric, Series

LIBRARY = DomainLibrary(
    name="physics",
    entity_kind="experiment",
    entity_plural="experiments",
    numeric=(
        Numeric("beam_energy", "beam energy", "GeV", 1.0, 45.0, 1),
        Numeric("peak_luminosity", "peak luminosity", "Hz/nb", 5.0, 950.0, 0),
        Numeric("detector_resolution", "detector resolution", "%", 0.5, 9.5, 2),
        Numeric("operating_temperature", "operating temperature", "K", 2.0, 310.0, 1),
        Numeric("magnetic_field", "magnetic field strength", "T", 0.2, 12.0, 2),
        Numeric("event_rate", "event rate", "kHz", 1.0, 400.0, 1),
        Numeric("signal_efficiency", "signal efficiency", "%", 35.0, 98.0, 1),
        Numeric("background_fraction", "background fraction", "%", 0.5, 30.0, 2),
        Numeric("run_duration", "run duration", "hours", 40, 4000, 0),
        Numeric("channel_count", "readout channel count", "channels", 1000, 95000, 0),
        Numeric("vacuum_pressure", "vacuum pressure", "nPa", 1.0, 900.0, 1),
        Numeric("cross_section", "measured cross section", "pb", 0.1, 120.0, 2),
    ),
    categorical=(
        Categorical("spokesperson", "spokesperson", PERSON_NAMES, unique=True),
        Categorical(
            "detector_type",
            "detector type",
            (
                "silicon tracker",
                "liquid-argon calorimeter",
                "drift chamber",
                "scintillator array",
                "Cherenkov counter",
            ),
        ),
        Categorical(
            "beam_species", "beam species", ("proton", "electron", "muon", "heavy ion", "neutron")
        ),
        Categorical(
            "host_hall", "experimental hall", ("Hall A", "Hall B", "Hall C", "Hall D", "Hall E")
        ),
    ),
    series=(
        Series(
            "integrated_luminosity",
            "integrated luminosity",
            "fb⁻¹",
            ("2020", "2021", "2022", "2023"),
            1.0,
            180.0,
            1,
        ),
        Series("uptime", "beam uptime", "%", ("Q1", "Q2", "Q3", "Q4"), 45.0, 97.0, 1),
    ),
    name_prefixes=(
        "ARGUS",
        "HELIOS",
        "KESTREL",
        "NOVA",
        "ORION",
        "PULSAR",
        "QUARTZ",
        "RAVEN",
        "SIRIUS",
        "TITAN",
        "VEGA",
        "ZEPHYR",
        "AURORA",
        "BOREAS",
        "CASTOR",
        "DORADO",
        "ELARA",
        "FORNAX",
        "GEMINA",
        "HYDRUS",
        "IONIA",
        "JUNO",
        "LYRA",
        "MENSA",
    ),
    name_suffixes=("II", "III", "IV", "X", "Prime", "Lite"),
    name_patterns=("{prefix}-{n}", "{prefix} {suffix}"),
    program_names=("Cascade", "Meridian", "Horizon", "Lattice", "Keystone"),
    titles=(
        "{program} Beamline Programme: Performance of {count_cap} {kind_plural}",
        "Technical Report of the {program} Accelerator Campaign",
    ),
    intro=(
        "The {program} campaign brought together {count} {kind_plural} that shared the same "
        "accelerator complex over four years. Each experiment was proposed independently, "
        "reviewed by the programme committee for physics reach and technical readiness, and "
        "scheduled in one of the experimental halls according to its beam and shielding needs.",
        "This report collects the operating parameters and physics performance of every "
        "experiment in a single place, so that later proposals can be planned against a common "
        "reference. Values are given in the units used by the control system, and every figure "
        "refers to the configuration in which the experiment took its physics data.",
    ),
    methods=(
        "Beam parameters were taken from the accelerator logbook, and detector figures from "
        "each collaboration's run summaries. Luminosity is quoted per bunch crossing window and "
        "integrated over the physics periods of each year, after the machine coordinators had "
        "removed fills that were lost to injector faults or cryogenic trips.",
        "Detector resolution is quoted as the relative width of the reference peak after "
        "calibration. Temperatures refer to the cryostat or enclosure that houses the active "
        "volume, and vacuum pressure to the beam pipe at the interaction point, read by the "
        "gauges that the vacuum group maintains for the whole complex.",
    ),
    discussion=(
        "Taken together, the {kind_plural} span a wide range of beam energies and detector "
        "technologies. Experiments with the largest channel counts did not always reach the "
        "best resolution, which reflects differences in calibration strategy more than in "
        "hardware, and several collaborations are now sharing their alignment procedures.",
        "Beam uptime improved over the campaign as the injector was refurbished, and the "
        "integrated luminosity delivered to the halls grew accordingly. The programme committee "
        "will use these figures to decide which {kind_plural} continue into the next running "
        "period and which hand their halls over to new proposals.",
    ),
    subordinate_cues=("simulation_only", "vendor_claim", "conference_talk"),
    authoritative_cues=("steady_state", "calibrated_instrument", "results_table"),
)
