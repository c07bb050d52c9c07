"""Computer science / AI: model runs of a foundation-model training initiative."""

from challenges.engine.names import PERSON_NAMES
from challenges.engine.spec import Categorical, DomainLibrary, Numeric, Series

LIBRARY = DomainLibrary(
    name="cs_ai",
    entity_kind="model run",
    entity_plural="model runs",
    numeric=(
        Numeric("parameter_count", "parameter count", "bn", 0.1, 180.0, 1),
        Numeric("training_tokens", "training token count", "bn", 20, 9000, 0),
        Numeric("benchmark_accuracy", "benchmark accuracy", "%", 25.0, 92.0, 1),
        Numeric("median_latency", "median latency", "ms", 8.0, 900.0, 1),
        Numeric("generation_speed", "generation speed", "tokens/s", 12, 4500, 0),
        Numeric("context_length", "context length", "k tokens", 2, 256, 0),
        Numeric("training_compute", "training compute", "PF-days", 5, 95000, 0),
        Numeric("accelerator_hours", "accelerator hours", "GPU-hours", 500, 2500000, 0),
        Numeric("global_batch_size", "global batch size", "sequences", 64, 4096, 0),
        Numeric("energy_consumption", "energy consumption", "MWh", 0.5, 4200.0, 1),
        Numeric("validation_perplexity", "validation perplexity", "", 3.0, 28.0, 2),
        Numeric("peak_memory", "peak memory", "GB", 8.0, 640.0, 1),
        Numeric("training_cost", "training cost", "USD k", 5.0, 9500.0, 1),
        Numeric("hallucination_rate", "hallucination rate", "%", 2.0, 35.0, 1),
        Numeric("corpus_size", "deduplicated corpus size", "TB", 0.2, 60.0, 1),
    ),
    categorical=(
        Categorical("lead_engineer", "lead engineer", PERSON_NAMES, unique=True),
        Categorical(
            "architecture",
            "architecture",
            (
                "dense transformer",
                "mixture of experts",
                "state-space",
                "recurrent hybrid",
                "convolutional",
            ),
        ),
        Categorical(
            "optimiser",
            "optimiser",
            ("AdamW", "Adafactor", "Lion", "Sophia", "stochastic gradient descent"),
        ),
        Categorical(
            "pretraining_corpus",
            "pretraining corpus",
            (
                "web crawl",
                "code-heavy mix",
                "scientific literature",
                "multilingual mix",
                "curated books",
            ),
        ),
    ),
    series=(
        Series(
            "annual_downloads",
            "annual downloads",
            "thousand",
            ("2020", "2021", "2022", "2023"),
            1.0,
            950.0,
            0,
        ),
        Series(
            "quarterly_serving_cost",
            "quarterly serving cost",
            "USD k",
            ("Q1", "Q2", "Q3", "Q4"),
            2.0,
            800.0,
            1,
        ),
    ),
    name_prefixes=(
        "Altavex",
        "Brimlow",
        "Corvexa",
        "Dexmira",
        "Elvaro",
        "Fennquist",
        "Gryllix",
        "Halcyra",
        "Iverno",
        "Jexari",
        "Kalmyra",
        "Loquar",
        "Myrrin",
        "Nimbrex",
        "Octavyn",
        "Pyxalin",
        "Quorrel",
        "Ruvelle",
        "Skellar",
        "Tharros",
        "Umbrix",
        "Vexalon",
        "Wyndra",
        "Xyphos",
        "Yllara",
        "Zoltrin",
    ),
    name_suffixes=("Base", "Instruct", "Chat", "Mini", "Large", "Distill"),
    name_patterns=("{prefix}-{n}", "{prefix} {suffix}"),
    program_names=("Lighthouse", "Synapse", "Cortex", "Atlas", "Relay"),
    titles=(
        "{program} Training Report: Evaluation of {count_cap} Model Runs",
        "Compute and Capability Summary of the {program} Foundation Models",
    ),
    intro=(
        "The {program} initiative trained and evaluated {count} {kind_plural} to study how "
        "architecture, data mixture and optimiser choice interact at different scales. Every "
        "configuration used the same tokenizer, evaluation harness and serving stack, so that "
        "differences in capability, cost and latency can be attributed to the training recipe "
        "rather than to incidental changes in infrastructure.",
        "This report is a reference for the research and platform teams that decide which "
        "checkpoints to promote to production and which recipes to extend. It records the "
        "training configuration, resource usage and evaluation results of each {kind} "
        "together with its serving behaviour after deployment, and it is updated whenever a "
        "checkpoint is retired or replaced.",
    ),
    methods=(
        "Benchmark accuracy is the macro-average over the internal evaluation suite, scored "
        "with greedy decoding and exact-match grading, and validation perplexity is computed "
        "on a held-out slice of the pretraining data. Hallucination rate is the share of "
        "answers to a fact-checking set that contradicted the reference sources, as judged by "
        "trained annotators with adjudication of disagreements.",
        "Latency is the median time to first token under a fixed request mix on the "
        "production serving cluster, and generation speed is measured per request at the same "
        "load. Training compute and accelerator hours are taken from the accounting logs of "
        "the scheduler, and energy consumption from facility meters attributed to each job in "
        "proportion to its share of the cluster.",
    ),
    discussion=(
        "Across the {kind_plural}, capability gains came from more tokens at least as often "
        "as from more parameters, which supports the decision to extend data collection before "
        "scaling the largest configurations further. Sparse designs reached comparable "
        "accuracy at lower serving cost, although they required more memory and careful load "
        "balancing to keep latency predictable under bursty traffic.",
        "Serving cost per quarter fell for most checkpoints as kernels were tuned and caching "
        "improved, while download counts show sustained external interest in the smaller "
        "releases. The initiative will next examine whether hallucination and toxicity can be "
        "reduced during pretraining itself rather than only by post-training alignment, using "
        "the same evaluation harness for comparability.",
    ),
    subordinate_cues=("conference_talk", "extrapolation", "draft_memo"),
    authoritative_cues=("replicated", "results_table", "verified_record"),
)
