"""Medicine: clinical trials coordinated by a research network."""

from challenges.engine.names import PERSON_NAMES
from challenges.engine.spec import Categorical, DomainLibrary, Numeric, Series

LIBRARY = DomainLibrary(
    name="medicine",
    entity_kind="trial",
    entity_plural="trials",
    numeric=(
        Numeric("enrolled_patients", "enrolled patients", "patients", 40, 4800, 0),
        Numeric("primary_completion", "primary completion time", "months", 6.0, 84.0, 1),
        Numeric("response_rate", "objective response rate", "%", 8.0, 72.0, 1),
        Numeric("median_age", "median participant age", "years", 24.0, 74.0, 1),
        Numeric("median_follow_up", "median follow-up", "months", 3.0, 60.0, 1),
        Numeric("dropout_rate", "dropout rate", "%", 2.0, 28.0, 1),
        Numeric("serious_adverse_events", "serious adverse event rate", "%", 0.5, 24.0, 1),
        Numeric("hazard_ratio", "hazard ratio", "", 0.3, 1.4, 2),
        Numeric("recruiting_sites", "recruiting site count", "sites", 3, 180, 0),
        Numeric("daily_dose", "daily dose", "mg", 5, 800, 0),
        Numeric("plasma_half_life", "plasma half-life", "h", 1.5, 96.0, 1),
        Numeric("cholesterol_reduction", "cholesterol reduction", "%", 5.0, 60.0, 1),
        Numeric("systolic_reduction", "systolic pressure reduction", "mmHg", 1.0, 22.0, 1),
        Numeric("screen_failure_rate", "screen failure rate", "%", 5.0, 45.0, 1),
        Numeric("per_patient_cost", "per-patient cost", "USD k", 4.0, 85.0, 1),
    ),
    categorical=(
        Categorical("principal_investigator", "principal investigator", PERSON_NAMES, unique=True),
        Categorical(
            "development_stage",
            "development stage",
            ("first-in-human", "dose-finding", "confirmatory", "post-marketing", "bridging"),
        ),
        Categorical(
            "therapeutic_area",
            "therapeutic area",
            (
                "oncology",
                "cardiology",
                "neurology",
                "rheumatology",
                "infectious disease",
                "endocrinology",
            ),
        ),
        Categorical(
            "blinding",
            "blinding",
            ("double-blind", "single-blind", "open-label", "assessor-blinded", "triple-blind"),
        ),
        Categorical(
            "arm_design",
            "arm design",
            (
                "two-arm parallel",
                "three-arm parallel",
                "crossover",
                "factorial",
                "multi-arm adaptive",
            ),
        ),
    ),
    series=(
        Series(
            "annual_enrolment",
            "annual enrolment",
            "patients",
            ("2020", "2021", "2022", "2023"),
            10.0,
            1200.0,
            0,
        ),
        Series(
            "quarterly_retention",
            "quarterly retention",
            "%",
            ("Q1", "Q2", "Q3", "Q4"),
            70.0,
            99.0,
            1,
        ),
    ),
    name_prefixes=(
        "ZELNARA",
        "VORTIQ",
        "KANDOR",
        "MIRELLO",
        "ASTRAVIN",
        "BELCORA",
        "CYPRENA",
        "DOLVANE",
        "EXARTIS",
        "FLORENZA",
        "GALVIRA",
        "HEPTORA",
        "IMBRELL",
        "JASPERO",
        "KOVELIA",
        "LUMARIS",
        "MEDRAXA",
        "NORVELLE",
        "OPTELIS",
        "PRELVANTA",
        "QUILLARA",
        "RESTANE",
        "SOLVARIN",
        "TEMBRIA",
        "UVALDEN",
        "VERANZA",
    ),
    name_suffixes=("Extension", "Plus", "Outcomes", "Pivotal", "Maintenance"),
    name_patterns=("{prefix}-{n}", "{prefix} {suffix}"),
    program_names=("Aegis", "Lantern", "Vanguard", "Crescent", "Tandem"),
    titles=(
        "{program} Clinical Network: Outcomes of {count_cap} Randomised {kind_plural_cap}",
        "Consolidated Report of the {program} Clinical Research Network",
    ),
    intro=(
        "The {program} network coordinates {count} {kind_plural} run by academic centres and "
        "industry partners across several therapeutic areas. All of them follow a shared "
        "protocol template for eligibility, consent and outcome reporting, which makes it "
        "possible to compare enrolment, safety and efficacy on a common footing even though "
        "the interventions themselves differ widely.",
        "This report summarises the design features and principal results of each {kind} for "
        "the steering committee and the data monitoring board of the network. It does not "
        "replace the individual publications, which give full statistical detail, but it "
        "offers a single reference for planning future studies and for allocating recruitment "
        "capacity among the participating hospitals.",
    ),
    methods=(
        "Enrolment figures count participants who were randomised and received at least one "
        "dose of the assigned intervention. Response was assessed by an independent central "
        "review committee against the criteria specified in each protocol, and safety events "
        "were coded with a common medical dictionary and graded by severity before being "
        "pooled for this report.",
        "Follow-up is measured from randomisation to the last recorded visit, and dropout "
        "includes withdrawal of consent as well as loss to follow-up. Hazard ratios compare the "
        "experimental arm with the comparator in a stratified proportional hazards analysis, "
        "and blood pressure and cholesterol changes are reported as the mean reduction from "
        "baseline at the primary timepoint.",
    ),
    discussion=(
        "Across the network, recruitment was the main constraint on timelines. "
        "{kind_plural_cap} with many recruiting sites enrolled faster but also reported more "
        "variable retention, reflecting uneven experience with the protocols among newer "
        "centres. Safety profiles were broadly consistent with what was known for each class "
        "of intervention, and no new signal prompted a change to the shared eligibility "
        "criteria.",
        "Response rates should not be compared directly between therapeutic areas, since the "
        "endpoints and patient populations differ substantially. Within an area, however, the "
        "{kind_plural} offer a useful view of how design choices such as masking, comparator "
        "selection and dose level relate to observed efficacy, and the steering committee will "
        "use them to prioritise follow-on studies.",
    ),
    subordinate_cues=("interim_readout", "preregistration_target", "press_release"),
    authoritative_cues=("locked_dataset", "final_analysis", "audited"),
)
