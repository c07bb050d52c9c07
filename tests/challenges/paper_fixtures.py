"""Hand-built ``ParsedPaper`` fixtures: what the PDF parser hands the challenge builder.

``paper_from_outline`` lays an outline (title, authors, sections of paragraphs and tables)
out as blocks the way ``challenges.pdf`` does: the title and author line as front matter,
then a heading block per section followed by its paragraphs, a table block showing
``Table.text()``. ``real_paper(name)`` parses one of the two real PDFs of
``../shared/data/pdfs`` once per session, or skips where the parser or the file is absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from challenges.paper import Block, PaperMetadata, ParsedPaper, Section, Table

PDFS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pdfs"


@dataclass
class Part:
    number: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[str, list[list[str]]]] = field(default_factory=list)  # caption, rows
    level: int = 1


def paper_from_outline(
    *, title: str, authors: list[str], parts: list[Part], front: list[str] = (), **meta
) -> ParsedPaper:
    blocks: list[Block] = []
    sections: list[Section] = []
    tables: list[Table] = []

    def add(kind: str, text: str, section: int | None, table: int | None = None) -> None:
        blocks.append(Block(len(blocks), kind, text, page=1 + len(blocks) // 12,
                            section=section, table=table))  # fmt: skip

    add("heading", title, None)
    add("paragraph", ", ".join(authors), None)
    for line in front:
        add("paragraph", line, None)
    parents: dict[int, int] = {}
    for part in parts:
        parent = parents.get(part.level - 1) if part.level > 1 else None
        section = Section(len(sections), part.number, part.title, part.level, parent)
        sections.append(section)
        parents[part.level] = section.index
        add("heading", section.label, section.index)
        for paragraph in part.paragraphs:
            add("paragraph", paragraph, section.index)
        for caption, rows in part.tables:
            table = Table(len(tables), caption, tuple(tuple(r) for r in rows), page=1,
                          section=section.index)  # fmt: skip
            tables.append(table)
            add("table", table.text(), section.index, table=table.index)
    abstract = next((p.paragraphs[0] for p in parts if p.title == "Abstract"), "")
    metadata = PaperMetadata(title=title, authors=tuple(authors), abstract=abstract, **meta)
    return ParsedPaper(metadata, tuple(sections), tuple(blocks), tuple(tables))


# --- a machine-learning paper with results tables --------------------------------------------

ML_PARTS = [
    Part("", "Abstract", [
        "In this paper, we propose an online clustering method called Contrastive Clustering "
        "(CC) which explicitly performs the instance- and cluster-level contrastive learning. "
        "For a given dataset, the positive and negative instance pairs are constructed through "
        "data augmentations and then projected into a feature space. Extensive experimental "
        "results show that CC remarkably outperforms 17 competitive clustering methods on six "
        "challenging image benchmarks. In particular, CC achieves an NMI of 0.705 on the "
        "CIFAR-10 dataset, which is a large improvement over the best baseline.",
    ]),
    Part("1", "Introduction", [
        "As one of the most fundamental tools in unsupervised learning, clustering groups data "
        "into different clusters without any label. Deep clustering methods use neural networks "
        "to extract representative information from images for the downstream clustering "
        "tasks. Most of them alternate between representation learning and clustering, which "
        "accumulates errors and prevents online use on streaming data.",
        "To overcome this offline limitation, we propose a dual contrastive learning framework. "
        "The rows of the feature matrix are regarded as soft labels of instances and the columns "
        "as cluster representations. The training of the model proceeds in three stages: "
        "augmentation, projection and contrastive optimisation. Our code, models and logs were "
        "released on 21 September 2020 together with the preprint.",
    ]),
    Part("2", "Related Work", [
        "Contrastive learning maps the original data to a feature space wherein the "
        "similarities of positive pairs are maximized while those of negative pairs are "
        "minimized. SimCLR adopts the normalized temperature-scaled cross-entropy loss "
        "(NT-Xent) to identify positive pairs across the dataset. Deep clustering methods such "
        "as DEC and DAC learn representations and cluster assignments jointly, but they need "
        "the whole dataset at every step and therefore cannot run online.",
        "Different from existing studies, the proposed method conducts contrastive learning at "
        "not only the instance level but also the cluster level, which produces representations "
        "that suit clustering. This could be the first work of clustering-specified contrastive "
        "learning, and it needs only batch-wise optimization.",
    ]),
    Part("3", "Method", [
        "The pair construction backbone (PCB) builds data pairs through two data "
        "augmentations, and one shared deep neural network extracts features from both "
        "augmented views. The instance-level contrastive head (ICH) and the cluster-level "
        "contrastive head (CCH) then project the features into the row and column space.",
        "The instance-level temperature is fixed to 0.5 in all experiments, and the "
        "cluster-level temperature is set to 1.0 for all datasets. The dimensionality of the "
        "row space is set to 128 to keep more information of images. The overall objective is "
        "the sum of the instance-level and cluster-level contrastive losses, which are "
        "optimized simultaneously in a one-stage and end-to-end process.",
    ]),
    Part("4", "Experiments", [
        "We evaluate the proposed method on six challenging image datasets, summarized in "
        "Table 1. Both the training and test set are used for CIFAR-10, CIFAR-100 and STL-10, "
        "while only the training set is used for ImageNet-10, ImageNet-Dogs and Tiny-ImageNet.",
        "We adopt ResNet34 as the backbone network and resize all input images to the same "
        "size. The Adam optimizer with an initial learning rate of 0.0003 is adopted to "
        "optimize the two contrastive heads and the backbone network. The batch size is set to "
        "256, and we train the model from scratch for 1,000 epochs. Training takes about 70 "
        "gpu-hours on CIFAR-10.",
        "Three widely-used clustering metrics including Normalized Mutual Information (NMI), "
        "Accuracy (ACC), and Adjusted Rand Index (ARI) are utilized to evaluate our method. "
        "Higher values of these metrics indicate better clustering performance.",
        "According to the results shown in Table 2, CC significantly outperforms the "
        "state-of-the-art baselines by a large margin. In particular, CC surpasses the closest "
        "competitor PICA on CIFAR-10 in terms of NMI. The remarkable results demonstrate the "
        "powerful clustering ability of CC, which benefits from the incorporation of the "
        "instance- and cluster-level contrastive learning.",
    ], tables=[
        ("Table 1: A summary of datasets used for evaluations.", [
            ["Dataset", "Split", "Samples", "Classes"],
            ["CIFAR-10", "Train+Test", "60,000", "10"],
            ["CIFAR-100", "Train+Test", "60,000", "20"],
            ["STL-10", "Train+Test", "13,000", "10"],
            ["ImageNet-10", "Train", "13,000", "10"],
            ["ImageNet-Dogs", "Train", "19,500", "15"],
            ["Tiny-ImageNet", "Train", "100,000", "200"],
        ]),
        ("Table 2: The clustering performance on CIFAR-10.", [
            ["Method", "NMI", "ACC", "ARI"],
            ["K-means", "0.087", "0.229", "0.049"],
            ["DEC", "0.257", "0.301", "0.161"],
            ["DAC", "0.396", "0.522", "0.306"],
            ["DCCM", "0.496", "0.623", "0.408"],
            ["PICA", "0.591", "0.696", "0.512"],
            ["CC (Ours)", "0.705", "0.790", "0.637"],
        ]),
    ]),
    Part("5", "Conclusion", [
        "Based on the observation that the rows and columns of the feature matrix correspond to "
        "instance and cluster representations, we proposed a method which dually conducts "
        "contrastive learning at the instance and cluster level under a unified framework. In "
        "the future, we plan to extend it to other tasks such as semi-supervised learning and "
        "transfer learning, where labels are scarce and representations matter.",
    ]),
    Part("", "References", [
        "1. Chen T et al. 2020 A simple framework for contrastive learning of visual "
        "representations. ICML 2020, 1597-1607.",
    ]),
]  # fmt: skip


def ml_paper(*, with_tables: bool = True, **overrides) -> ParsedPaper:
    parts = ML_PARTS if with_tables else _without_tables(ML_PARTS)
    meta = {
        "arxiv_id": "2009.09687",
        "arxiv_version": 1,
        "arxiv_category": "cs.CV",
        "arxiv_date": "2020-09-21",
        "domain": "cs_ai",
    }
    meta.update(overrides)
    return paper_from_outline(
        title="Contrastive Clustering",
        authors=[
            "Yunfan Li",
            "Peng Hu",
            "Zitao Liu",
            "Dezhong Peng",
            "Joey Tianyi Zhou",
            "Xi Peng",
        ],
        front=["arXiv:2009.09687v1 [cs.CV] 21 Sep 2020"],
        parts=parts,
        **meta,
    )


# --- an epidemiology paper -------------------------------------------------------------------

EPI_PARTS = [
    Part("", "Abstract", [
        "Influenza outbreaks in long-term care facilities cause substantial morbidity among "
        "older residents. We fitted a Susceptible-Exposed-Infectious-Recovered (SEIR) model to "
        "surveillance data from 12 facilities in Ontario collected between 1 October 2018 and "
        "31 March 2019. The estimated basic reproduction number was 1.8, and vaccination of "
        "staff reduced the attack rate among residents substantially.",
    ]),
    Part("1", "Introduction", [
        "Residents of long-term care facilities are at high risk of severe influenza because of "
        "age, frailty and close contact with staff and other residents. Outbreak control relies "
        "on vaccination, antiviral prophylaxis and the exclusion of symptomatic staff. The "
        "relative contribution of these measures is uncertain, and facilities differ widely in "
        "size, staffing and vaccination coverage.",
        "We distinguish four age groups among residents and staff, and we ask how vaccination "
        "coverage among staff changes the attack rate among residents. The study protocol was "
        "approved by the research ethics board on 14 August 2018.",
    ]),
    Part("2", "Methods", [
        "Surveillance data were collected by the regional public health unit. The incubation "
        "period is assumed to be 2 days and the infectious period of symptomatic residents is "
        "assumed to be 5 days. Each facility reported daily counts of new cases, "
        "hospitalizations and deaths among residents and staff.",
        "The model has three compartments for residents: susceptible, infectious and recovered. "
        "Transmission between residents and staff is governed by a contact matrix estimated "
        "from staffing rosters. Parameters were estimated by maximum likelihood with a "
        "negative binomial observation model, and confidence intervals were obtained by "
        "profile likelihood. Simulations used 1,000 stochastic realizations per scenario.",
    ]),
    Part("3", "Results", [
        "A total of 1,204 residents and 856 staff were included. The overall attack rate among "
        "residents was 23.4% and the case fatality ratio among infected residents was 6.1%. "
        "Staff vaccination coverage above 60% was associated with smaller outbreaks, and the "
        "median outbreak lasted 18 days.",
        "Table 1 gives cases and attack rates by age group. Residents aged 85 years or older "
        "had the highest attack rate, while staff had the lowest. Antiviral prophylaxis started "
        "within two days of the first case shortened outbreaks in the facilities that used it.",
    ], tables=[
        ("Table 1: Cases and attack rates by age group.", [
            ["Age group", "Persons", "Cases", "Attack rate (%)"],
            ["Staff", "856", "71", "8.3"],
            ["65-74 years", "298", "52", "17.4"],
            ["75-84 years", "441", "97", "22.0"],
            ["85+ years", "465", "133", "28.6"],
        ]),
    ]),
    Part("4", "Discussion", [
        "Our estimates agree with earlier reports from long-term care settings in Canada and "
        "Europe. Vaccination of staff remains the most effective single measure, and antiviral "
        "prophylaxis should start as soon as the first case is confirmed. Limitations include "
        "incomplete reporting of mild cases among staff and the small number of facilities, "
        "which widens the confidence intervals of every estimate reported here.",
        "Future work should test whether rapid antigen testing of staff at the start of each "
        "shift reduces the number of introductions from the community into the facilities.",
    ]),
]  # fmt: skip


def epi_paper(*, with_tables: bool = True, **overrides) -> ParsedPaper:
    parts = EPI_PARTS if with_tables else _without_tables(EPI_PARTS)
    meta = {"date": "2019-11-04", "domain": "medicine"}
    meta.update(overrides)
    return paper_from_outline(
        title="Influenza transmission in long-term care facilities: a modelling study",
        authors=["Amira Haddad", "Lucas Martin", "Chen Wei"],
        front=["Working paper, November 4, 2019"],
        parts=parts,
        **meta,
    )


def _without_tables(parts: list[Part]) -> list[Part]:
    return [Part(p.number, p.title, p.paragraphs, [], p.level) for p in parts]


# --- the real PDFs ---------------------------------------------------------------------------


@cache
def _parse(name: str) -> ParsedPaper:
    from challenges.pdf import parse_pdf

    return parse_pdf((PDFS / f"{name}.pdf").read_bytes())


def real_paper(name: str) -> ParsedPaper:
    """The parsed paper ``name`` (without ``.pdf``); skips on a machine without the file."""
    if not (PDFS / f"{name}.pdf").exists():
        pytest.skip(f"real data not present: {PDFS / name}.pdf")
    return _parse(name)
