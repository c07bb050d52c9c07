"""Authority cues: how a statement signals that it is a lower- or a higher-authority figure.

Shared by the procedural engine and the real-paper conflict planter. Every cue kind has
sentence templates that restate one fact (``{entity}``, ``{label}``, ``{value}``; ``{table}``
is a table number) and *decoys*: sentences with the same words that state no fact, so a word
list cannot tell a planted statement from ordinary prose. The engine also states some facts
only once, with a lower-authority cue, and that single statement is the truth. The last
template of every authoritative cue names the lower-authority figure it replaces
("Replacing the preliminary figure, …"), so true statements carry hedge words too.
"""

from __future__ import annotations

from dataclasses import dataclass

SUBORDINATE = "subordinate"
AUTHORITATIVE = "authoritative"


@dataclass(frozen=True)
class Cue:
    key: str
    authority: str
    phrase: str
    templates: tuple[str, ...]
    decoys: tuple[str, ...]


def _sub(key: str, phrase: str, templates: tuple[str, ...], decoys: tuple[str, ...]) -> Cue:
    return Cue(key, SUBORDINATE, phrase, templates, decoys)


def _auth(key: str, phrase: str, templates: tuple[str, ...], decoys: tuple[str, ...]) -> Cue:
    return Cue(key, AUTHORITATIVE, phrase, templates, decoys)


SUBORDINATE_CUES: tuple[Cue, ...] = (
    _sub(
        "preliminary_estimate",
        "preliminary estimate",
        (
            "A preliminary estimate put the {label} of {entity} at {value}.",
            "Preliminary estimates gave {entity} {a} {label} of {value}.",
        ),
        ("Preliminary estimates of the overall budget were revised twice before work began.",),
    ),
    _sub(
        "early_projection",
        "early projection",
        (
            "An early projection had the {label} of {entity} at {value}.",
            "Early projections placed the {label} of {entity} near {value}.",
        ),
        ("Early projections for the follow-up phase are outside the scope of this report.",),
    ),
    _sub(
        "pilot_phase",
        "pilot phase",
        (
            "During the pilot phase, the {label} of {entity} was logged as {value}.",
            "The pilot-phase log lists {a} {label} of {value} for {entity}.",
        ),
        ("The pilot phase was used to train staff on the logging procedure.",),
    ),
    _sub(
        "preregistration_target",
        "pre-registration target",
        (
            "The pre-registration target for the {label} of {entity} was {value}.",
            "In the pre-registration, the {label} of {entity} was set at {value}.",
        ),
        ("The pre-registration document is archived with the project records.",),
    ),
    _sub(
        "rounded_abstract",
        "rounded abstract figure",
        (
            "The abstract rounds the {label} of {entity} to {value}.",
            "In the abstract, the {label} of {entity} appears as a rounded {value}.",
        ),
        ("The abstract was shortened to meet the venue's word limit.",),
    ),
    _sub(
        "superseded_version",
        "superseded version",
        (
            "A superseded version of this report gave the {label} of {entity} as {value}.",
            "The first version of the report, since superseded, listed {entity} with "
            "{a} {label} of {value}.",
        ),
        ("A superseded version of the data dictionary is kept for reference.",),
    ),
    _sub(
        "extrapolation",
        "extrapolation",
        (
            "Extrapolating from the first runs, the {label} of {entity} would be {value}.",
            "A linear extrapolation suggested {a} {label} of {value} for {entity}.",
        ),
        ("Extrapolation beyond the sampled range is not attempted here.",),
    ),
    _sub(
        "vendor_claim",
        "vendor claim",
        (
            "The vendor's brochure claims {a} {label} of {value} for {entity}.",
            "According to the supplier's datasheet, the {label} of {entity} is {value}.",
        ),
        ("The vendor's brochure was consulted only for installation guidance.",),
    ),
    _sub(
        "interim_readout",
        "interim readout",
        (
            "An interim readout showed the {label} of {entity} at {value}.",
            "At the interim readout, {entity} had {a} {label} of {value}.",
        ),
        ("An interim readout was shared with the steering committee in confidence.",),
    ),
    _sub(
        "draft_memo",
        "draft memo",
        (
            "An internal draft memo quoted the {label} of {entity} as {value}.",
            "A draft memo circulated early on cited {a} {label} of {value} for {entity}.",
        ),
        ("A draft memo on data retention was circulated to all partners.",),
    ),
    _sub(
        "rough_estimate",
        "back-of-the-envelope estimate",
        (
            "A back-of-the-envelope estimate put the {label} of {entity} at about {value}.",
            "A rough estimate gave {entity} {a} {label} of roughly {value}.",
        ),
        ("A rough estimate of staff hours is given in the appendix.",),
    ),
    _sub(
        "press_release",
        "press release",
        (
            "The press release announced {a} {label} of {value} for {entity}.",
            "A press release stated the {label} of {entity} as {value}.",
        ),
        ("The press release was issued after the review meeting.",),
    ),
    _sub(
        "simulation_only",
        "pre-measurement simulation",
        (
            "A pre-measurement simulation predicted {a} {label} of {value} for {entity}.",
            "Simulations run before any measurement put the {label} of {entity} at {value}.",
        ),
        ("Simulations run before any measurement were used to size the equipment.",),
    ),
    _sub(
        "conference_talk",
        "conference talk",
        (
            "A conference talk last year quoted the {label} of {entity} as {value}.",
            "In an earlier conference talk, the {label} of {entity} was given as {value}.",
        ),
        ("A conference talk last year introduced the project to a wider audience.",),
    ),
)

AUTHORITATIVE_CUES: tuple[Cue, ...] = (
    _auth(
        "final_analysis",
        "final analysis",
        (
            "In the final analysis, the {label} of {entity} was {value}.",
            "The final analysis puts the {label} of {entity} at {value}.",
            "Replacing the preliminary figure, the final analysis puts the {label} of {entity} "
            "at {value}.",
        ),
        ("The final analysis plan was fixed before the data were unblinded.",),
    ),
    _auth(
        "steady_state",
        "measured at steady state",
        (
            "Measured at steady state, the {label} of {entity} was {value}.",
            "At steady state, {entity} showed a measured {label} of {value}.",
            "Unlike the early projections, the steady-state measurement of the {label} of "
            "{entity} is {value}.",
        ),
        ("Measurements at steady state took longer than planned.",),
    ),
    _auth(
        "results_table",
        "Table N",
        (
            "Table {table} reports the {label} of {entity} as {value}.",
            "As listed in Table {table}, {entity} has {a} {label} of {value}.",
            "Table {table}, which supersedes the draft figures, reports the {label} of {entity} "
            "as {value}.",
        ),
        ("Table {table} is referred to throughout the discussion.",),
    ),
    _auth(
        "audited",
        "audited figure",
        (
            "The audited figure for the {label} of {entity} is {value}.",
            "After audit, the {label} of {entity} stands at {value}.",
            "The audit replaced the interim number: the {label} of {entity} is {value}.",
        ),
        ("The audit covered all sites and took three weeks.",),
    ),
    _auth(
        "certified_measurement",
        "certified measurement",
        (
            "The certified measurement gives the {label} of {entity} as {value}.",
            "A certified measurement found the {label} of {entity} to be {value}.",
            "Superseding the vendor figure, the certified measurement gives the {label} of "
            "{entity} as {value}.",
        ),
        ("Certified measurement procedures follow the laboratory's quality manual.",),
    ),
    _auth(
        "replicated",
        "confirmed on replication",
        (
            "Confirmed on replication, the {label} of {entity} is {value}.",
            "Independent replication confirmed {a} {label} of {value} for {entity}.",
            "Replication overturned the pilot-phase value: the {label} of {entity} is {value}.",
        ),
        ("Independent replication was arranged with a partner group.",),
    ),
    _auth(
        "locked_dataset",
        "locked dataset",
        (
            "From the locked dataset, the {label} of {entity} is {value}.",
            "The locked dataset records {a} {label} of {value} for {entity}.",
            "Correcting the interim readout, the locked dataset gives the {label} of {entity} as "
            "{value}.",
        ),
        ("The dataset was locked before the statistical review.",),
    ),
    _auth(
        "calibrated_instrument",
        "calibrated instrument reading",
        (
            "With the calibrated instrument, the {label} of {entity} read {value}.",
            "The calibrated reading of the {label} of {entity} is {value}.",
            "Unlike the rough estimate, the calibrated reading of the {label} of {entity} is "
            "{value}.",
        ),
        ("Each instrument was calibrated against a reference standard.",),
    ),
    _auth(
        "verified_record",
        "verified record",
        (
            "The verified record lists the {label} of {entity} as {value}.",
            "According to the verified record, {entity} has {a} {label} of {value}.",
            "Correcting the press release, the verified record lists the {label} of {entity} as "
            "{value}.",
        ),
        ("Verified records are stored in the project's archive.",),
    ),
)

CUES: dict[str, Cue] = {cue.key: cue for cue in (*SUBORDINATE_CUES, *AUTHORITATIVE_CUES)}
HEDGE_WORDS: tuple[str, ...] = (
    "preliminary",
    "early",
    "pilot",
    "pre-registration",
    "abstract",
    "superseded",
    "extrapolat",
    "vendor",
    "supplier",
    "interim",
    "draft",
    "rough",
    "back-of-the-envelope",
    "press release",
    "simulation",
    "conference talk",
    "projection",
    "estimate",
)
