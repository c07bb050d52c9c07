"""Economics: firms followed by an enterprise panel (accounts and operating indicators)."""

from challenges.engine.names import PERSON_NAMES
from challenges.engine.spec import Categorical, DomainLibrary, Numeric, Series

LIBRARY = DomainLibrary(
    name="economics",
    entity_kind="firm",
    entity_plural="firms",
    numeric=(
        Numeric("annual_revenue", "annual revenue", "USD m", 15.0, 4800.0, 1),
        Numeric("operating_margin", "operating margin", "%", 2.0, 38.0, 1),
        Numeric("net_income", "net income", "USD m", 0.5, 650.0, 1),
        Numeric("headcount", "headcount", "employees", 40, 25000, 0),
        Numeric("research_intensity", "research intensity", "%", 0.5, 18.0, 2),
        Numeric("debt_to_equity", "debt-to-equity ratio", "", 0.05, 3.5, 2),
        Numeric("market_share", "market share", "%", 1.0, 45.0, 1),
        Numeric("capital_expenditure", "capital expenditure", "USD m", 1.0, 900.0, 1),
        Numeric("export_share", "export share", "%", 0.0, 85.0, 1),
        Numeric("inventory_turnover", "inventory turnover", "turns/yr", 2.0, 24.0, 1),
        Numeric("return_on_assets", "return on assets", "%", 0.5, 22.0, 1),
        Numeric("price_to_earnings", "price-to-earnings ratio", "", 6.0, 45.0, 1),
        Numeric("cash_reserves", "cash reserves", "USD m", 2.0, 1200.0, 1),
        Numeric("average_salary", "average salary", "USD k", 32.0, 140.0, 1),
    ),
    categorical=(
        Categorical("chief_executive", "chief executive", PERSON_NAMES, unique=True),
        Categorical(
            "sector",
            "sector",
            ("retail", "logistics", "software", "pharmaceuticals", "agribusiness", "utilities"),
        ),
        Categorical(
            "headquarters_region",
            "headquarters region",
            ("Northern Europe", "Southern Europe", "East Asia", "North America", "Latin America"),
        ),
        Categorical(
            "listing",
            "stock exchange listing",
            ("main market", "growth market", "unlisted", "dual-listed", "over-the-counter"),
        ),
    ),
    series=(
        Series(
            "free_cash_flow",
            "free cash flow",
            "USD m",
            ("2020", "2021", "2022", "2023"),
            2.0,
            480.0,
            1,
        ),
        Series(
            "quarterly_revenue",
            "quarterly revenue",
            "USD m",
            ("Q1", "Q2", "Q3", "Q4"),
            4.0,
            1200.0,
            1,
        ),
    ),
    name_prefixes=(
        "Caldrex",
        "Vantorix",
        "Brennick",
        "Quorvane",
        "Talvessa",
        "Merrowind",
        "Dunmarrow",
        "Keltavon",
        "Zorbique",
        "Halverstam",
        "Prendall",
        "Sorvatek",
        "Ambrovia",
        "Trellicor",
        "Wexmoor",
        "Fennimax",
        "Lorcavia",
        "Glasvenholt",
        "Ulvestra",
        "Nextorra",
        "Pelladine",
        "Ixworthy",
        "Yarrowby",
        "Jovantic",
        "Ribblecore",
        "Esmorant",
    ),
    name_suffixes=("Holdings", "Group", "Industries", "Partners", "Capital", "Systems"),
    name_patterns=("{prefix} {suffix}",),
    program_names=("Sterling", "Beacon", "Harbor", "Compass", "Anchor"),
    titles=(
        "{program} Enterprise Panel: Financial Performance of {count_cap} {kind_plural_cap}",
        "Annual Report of the {program} Corporate Benchmarking Survey",
    ),
    intro=(
        "The {program} enterprise panel follows {count} {kind_plural} drawn from several "
        "sectors and regions, chosen to represent the range of business models found among "
        "mid-sized and large companies. Each {kind} agreed to share its filed accounts and a set "
        "of operating indicators under a common reporting template, which allows direct "
        "comparison across companies that would otherwise publish in different formats.",
        "This report brings the financial and operating figures of the panel together in one "
        "place. It is intended as a reference for analysts, regulators and the participating "
        "companies themselves, who use it to benchmark profitability, investment and "
        "balance-sheet strength against their peers. Monetary amounts are reported in millions "
        "of US dollars at constant exchange rates unless a table states otherwise.",
    ),
    methods=(
        "Revenue, income and expenditure figures were taken from the filed annual statements "
        "of each company and reconciled with the quarterly management accounts supplied to the "
        "panel. Ratios were computed from year-end balance sheets, and market share refers to "
        "the primary product segment as defined by the industry classification of the national "
        "statistical office.",
        "Headcount is reported as full-time equivalents at the close of the financial year. "
        "Research intensity is research and development spending divided by revenue, and "
        "inventory turnover is the cost of goods sold divided by average inventory. Where a "
        "{kind} changed its fiscal calendar during the period, its figures were restated to "
        "calendar years before any comparison was made.",
    ),
    discussion=(
        "Across the panel, profitability varied more within sectors than between them, which "
        "suggests that management choices and pricing power matter at least as much as "
        "industry conditions. {kind_plural_cap} with heavier investment programmes did not "
        "consistently report weaker margins, although their cash positions tended to be "
        "thinner at the end of each financial year.",
        "Quarterly revenue followed a broadly seasonal pattern for most of the {kind_plural}, "
        "with consumer-facing companies showing the strongest swings. Readers comparing "
        "individual companies should keep in mind differences in accounting policy, "
        "particularly in how development costs and leases are capitalised, which can shift "
        "reported margins without any change in underlying performance.",
    ),
    subordinate_cues=("preliminary_estimate", "press_release", "draft_memo"),
    authoritative_cues=("audited", "verified_record", "results_table"),
)
