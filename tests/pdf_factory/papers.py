"""Ready-made papers: the two-column test paper (and its 20-page benchmark version) and the
one-column working paper, with seeded filler text."""

from __future__ import annotations

import random

from tests.pdf_factory.layout import (
    BOTTOM,
    LEAD,
    TOP,
    Equation,
    Front,
    Heading,
    Para,
    TableSpec,
    paper,
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_WORDS = _words(
    """model data method result analysis network training accuracy baseline dataset feature
    performance estimate sample measurement effect parameter evaluation experiment
    signal structure response variance distribution approach framework representation
    objective significant efficient specific different offline affine reflection
    influence benefit configuration classification coefficient sufficient artificial"""
)


_ECONOMICS_WORDS = _words(
    """market price wage labor firm household income tax trade inflation demand supply
    policy employment consumption elasticity welfare investment shock effect estimate
    sample significant different specific coefficient sufficient official"""
)


def sentences(rng: random.Random, count: int, vocabulary: tuple[str, ...] | list = _WORDS) -> str:
    out = []
    for _ in range(count):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(8, 16))]
        if rng.random() < 0.4:
            words.insert(
                rng.randint(1, len(words) - 1), f"{rng.randint(2, 95)}.{rng.randint(0, 9)}%"
            )
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


TWO_COLUMN_FRONT = Front(
    title="Contrastive Signals in Synthetic Benchmarks",
    authors="Ada Lovelace, Alan Turing and Grace Hopper",
    date="March 3, 2021",
    abstract=(
        "We study how contrastive signals behave on synthetic benchmarks. The proposed "
        "framework reaches an accuracy of 91.4% on the hardest benchmark, an improvement of "
        "12.5 points over the strongest baseline, while remaining efficient at inference time. "
        "We release the code and the data."
    ),
)


def two_column_paper(*, pages: int = 0, seed: int = 7, arxiv: bool = True) -> bytes:
    """The two-column test paper; with ``pages`` > 0, filler sections until about that many
    pages (the 20-page benchmark paper)."""
    rng = random.Random(seed)
    items = two_column_items(rng)
    references = next(
        i for i, item in enumerate(items) if isinstance(item, Heading) and item.text == "References"
    )
    body, tail = items[:references], items[references:]
    section = 6
    while pages and _estimate_pages(body + tail) < pages:
        body.append(Heading(f"{section} Additional Analysis {section}"))
        for sub in range(1, 3):
            body.append(Heading(f"{section}.{sub} Study {sub}", 11))
            body.append(Para(sentences(rng, 9)))
            body.append(Para(sentences(rng, 7)))
        body.append(
            TableSpec(
                f"Table {section}: Scores in study {section}.",
                [["Dataset", "Ours", "Base"]]
                + [
                    [f"Set-{i}", f"{rng.uniform(50, 99):.1f}", f"{rng.uniform(40, 90):.1f}"]
                    for i in range(4)
                ],
            )
        )
        body.append(Para(sentences(rng, 8)))
        section += 1
    stamp = "arXiv:2101.01234v2  [cs.LG]  5 Jan 2021" if arxiv else None
    return paper(TWO_COLUMN_FRONT, body + tail, columns=2, arxiv_stamp=stamp)


def _estimate_pages(items) -> float:
    lines = 0.0
    for item in items:
        if isinstance(item, Para):
            lines += len(item.text) / 60 + 1
        elif isinstance(item, TableSpec):
            lines += len(item.rows) + 4
        else:
            lines += 3
    return lines / (2 * (BOTTOM - TOP) / LEAD)


def two_column_items(rng: random.Random) -> list:
    return [
        Heading("1 Introduction"),
        Para(
            "Contrastive learning has become a standard tool for representation learning. In "
            "this paper we examine its behaviour on synthetic benchmarks, where the ground truth "
            "is known. To be specific, we measure how the cluster-level objective interacts "
            "with the instance-level objective across training. " + sentences(rng, 6)
        ),
        Para(
            "Our contributions are threefold. First, we define a controlled benchmark with "
            "twelve datasets. Second, we show that the cluster-level signal is sufficient for "
            "stable training. Third, we report efficient offline evaluation. " + sentences(rng, 5)
        ),
        Heading("2 Method"),
        Para(
            "The objective combines two terms. The first term aligns augmented views of the same "
            "sample, and the second term spreads cluster assignments across the batch. The "
            "overall loss is defined as"
        ),
        Equation("L = α · Lins + β · Lclu (1)"),
        Para(
            "where α and β weight the two terms and are set to 1.0 in all experiments. "
            + sentences(rng, 4)
        ),
        Heading("2.1 Training Details", 11),
        Para(
            "We train every model for 500 epochs with a batch size of 256 and a learning rate of "
            "0.0003. The cluster-level head uses a temperature of 1.0. " + sentences(rng, 14)
        ),
        Heading("3 Results"),
        Para(
            "Table 1 lists the accuracy of each method on the four benchmarks. " + sentences(rng, 3)
        ),
        TableSpec(
            "Table 1: Accuracy (%) on the four benchmarks.",
            [
                ["Method", "Alpha", "Beta", "Gamma"],
                ["Baseline", "71.2", "64.8", "58.3"],
                ["Ours", "91.4", "85.0", "77.9"],
                ["Oracle", "97.5", "93.1", "90.2"],
            ],
        ),
        Para(
            "Our method improves over the baseline on every benchmark. The largest gain, 20.2 "
            "points, is on Alpha. " + sentences(rng, 12)
        ),
        Heading("4 Discussion"),
        Para(sentences(rng, 14)),
        Heading("5 Conclusion"),
        Para("We presented a controlled study of contrastive signals. " + sentences(rng, 4)),
        Heading("References"),
        Para("[1] A. Author and B. Author. A study of signals. Journal of Tests, 12:1-10, 2019."),
        Para("[2] C. Author. Another study of signals. In Proceedings of Tests, 2020."),
    ]


ONE_COLUMN_FRONT = Front(
    title="Price Responses in a Synthetic Labor Market",
    authors="Jane Doe and John Roe",
    date="June 1, 2022",
    abstract=(
        "We estimate how wages respond to a price shock in a synthetic labor market. A ten "
        "percent increase in prices raises wages by 4.2 percent within two years. The response "
        "is larger for households with low income."
    ),
)


def sentences_econ(rng: random.Random, count: int) -> str:
    return sentences(rng, count, _ECONOMICS_WORDS)


def one_column_items(rng: random.Random) -> list:
    return [
        Heading("1 Introduction"),
        Para(
            "Wage responses to price shocks matter for monetary policy. " + sentences_econ(rng, 6)
        ),
        Heading("2 Data"),
        Para("We use a panel of 4,800 firms observed over 12 years. " + sentences_econ(rng, 5)),
        Heading("2.1 Sample Construction", 11),
        Para("The sample excludes firms with fewer than 10 employees. " + sentences_econ(rng, 5)),
        Heading("2.2 Variables", 11),
        Para("Wages are measured in constant dollars. " + sentences_econ(rng, 4)),
        TableSpec(
            "Table 1: Summary statistics of the firm panel.",
            [
                ["Variable", "Mean", "Std. dev.", "Observations"],
                ["Wage growth (%)", "3.1", "2.4", "57,600"],
                ["Price growth (%)", "2.2", "", "57,600"],
                ["Employees", "143", "311", "57,600"],
                ["Union share", "", "0.21", ""],
                ["Share of firms that\nchanged prices (%)", "41.0", "12.5", "57,600"],
            ],
            grid=True,
        ),
        Heading("3 Results"),
        Para(
            "A ten percent increase in prices raises wages by 4.2 percent. "
            + sentences_econ(rng, 6)
        ),
        TableSpec(
            "Table 2: Wage regressions.",
            [
                ["", "(1)", "(2)"],
                ["Price growth", "0.421***", "0.398***"],
                ["", "(0.051)", "(0.060)"],
                ["Union share", "", "0.112**"],
                ["", "", "(0.048)"],
                ["Observations", "57,600", "57,600"],
            ],
        ),
        Para("Notes: Standard errors in parentheses; *** p < 0.01, ** p < 0.05."),
        Heading("4 Conclusion"),
        Para("Wages respond slowly but substantially to prices. " + sentences_econ(rng, 3)),
    ]


def one_column_paper(*, seed: int = 3) -> bytes:
    return paper(ONE_COLUMN_FRONT, one_column_items(random.Random(seed)), columns=1)


REVTEX_FRONT = Front(
    title="Spin Waves in a Synthetic Lattice",
    authors="Marie Curie and Niels Bohr",
    affiliation="Institute of Synthetic Physics, Example University",
    date="(Dated: March 3, 2021)",
    abstract=(
        "We compute the spin-wave spectrum of a synthetic magnetic lattice and find a gap of "
        "3.2 meV at the zone boundary. The gap closes above a field of 1.5 T, in agreement "
        "with the measured magnon dispersion, and the quantum corrections stay below 4%."
    ),
    abstract_heading=False,
)


def revtex_items(rng: random.Random) -> list:
    """A REVTeX-style physics paper: roman-numbered capitalised sections, lettered
    subsections, arabic sub-subsections, a table captioned above, references without a
    heading."""
    physics = _words(
        """spin lattice magnon field energy momentum phonon quantum electron scattering
        gap dispersion magnetic coupling exchange anisotropy temperature spectrum"""
    )
    return [
        Heading("I. INTRODUCTION", 10, centred=True),
        Para("Spin waves carry energy through magnetic lattices. " + sentences(rng, 7, physics)),
        Heading("II. MODEL", 10, centred=True),
        Heading("A. Hamiltonian", 10),
        Para(
            "The exchange coupling is J = 1.8 meV between neighbours. " + sentences(rng, 5, physics)
        ),
        Heading("1. Anisotropy", 10, italic=True),
        Para("A single-ion anisotropy of 0.2 meV opens the gap. " + sentences(rng, 4, physics)),
        Heading("B. Linear spin-wave theory", 10),
        Para("We expand to second order in the boson operators. " + sentences(rng, 6, physics)),
        TableSpec(
            "TABLE I. Fitted exchange parameters.",
            [["Parameter", "Value", "Error"], ["J1", "1.80", "0.05"], ["J2", "0.31", "0.02"]],
        ),
        Heading("III. RESULTS", 10, centred=True),
        Para("The gap at the zone boundary is 3.2 meV. " + sentences(rng, 9, physics)),
        Heading("IV. CONCLUSION", 10, centred=True),
        Para("The model reproduces the measured dispersion. " + sentences(rng, 3, physics)),
        Para("[1] M. Curie, Phys. Rev. B 12, 345 (2019)."),
        Para("[2] N. Bohr, Phys. Rev. Lett. 101, 11 (2020)."),
        Para("[3] A. Einstein, Ann. Phys. 17, 132 (1905)."),
    ]


def revtex_paper(*, seed: int = 5) -> bytes:
    return paper(REVTEX_FRONT, revtex_items(random.Random(seed)), columns=2, header="")
