//! Short definitions of each figure, shared by the HTML methodology section, the workbook's
//! Definitions sheet and `definitions.csv`. The full method is each metric's page in
//! `docs/methodology/`.

/// One figure's definition.
#[derive(Debug, Clone, Copy)]
pub struct Definition {
    /// The figure.
    pub metric: &'static str,
    /// What it is, in a sentence or two.
    pub definition: &'static str,
    /// Coverage: what "known" means for it.
    pub coverage: &'static str,
    /// Methodology page, relative to the repository root.
    pub page: &'static str,
}

/// Every figure the outputs show, in the order shown.
pub const METRICS: &[Definition] = &[
    Definition {
        metric: "Total spend",
        definition: "Every accepted payment in scope, before any exclusion; credit notes net off.",
        coverage: "Not a share: no coverage.",
        page: "docs/methodology/total-spend.md",
    },
    Definition {
        metric: "Influenceable spend",
        definition: "Total spend minus the payments removed by the network's exclusion rules \
                     (other public bodies, tax, pensions, payroll deductions, inter-authority \
                     transfers, redacted payments to individuals, and any rule the network adds). \
                     Each rule's rows, pounds and largest suppliers are listed.",
        coverage: "Not a share: no coverage.",
        page: "docs/methodology/influenceable-spend.md",
    },
    Definition {
        metric: "Local share",
        definition: "Share of influenceable spend with suppliers located in the local place.",
        coverage: "Spend whose supplier has a location. Shown of located spend and of all \
                   influenceable spend (unlocated counted as not local).",
        page: "docs/methodology/local-share.md",
    },
    Definition {
        metric: "Wider-place share",
        definition: "Share of influenceable spend with suppliers located in the wider place \
                     (which contains the local place).",
        coverage: "Spend whose supplier has a location.",
        page: "docs/methodology/wider-share.md",
    },
    Definition {
        metric: "Deprived-area share",
        definition: "Share of influenceable spend with suppliers whose neighbourhood (LSOA) is in \
                     deciles 1–2 of the English Indices of Deprivation (the most deprived 20%); \
                     with the spend in every decile.",
        coverage: "Spend whose supplier's LSOA has a decile (located in England).",
        page: "docs/methodology/deprived-share.md",
    },
    Definition {
        metric: "SME share",
        definition: "Share of influenceable spend with small and medium-sized enterprises (PPN \
                     001: fewer than 250 staff and turnover ≤ £44m or balance sheet ≤ £38m).",
        coverage: "Spend whose supplier's size is known from a register or declaration; \
                   unknown size is never guessed.",
        page: "docs/methodology/sme-share.md",
    },
    Definition {
        metric: "VCSE share",
        definition: "Share of influenceable spend with the social economy: charities, CIOs, CICs, \
                     co-operatives and community benefit societies.",
        coverage: "Spend whose supplier's type is known from registers or legal form.",
        page: "docs/methodology/vcse-share.md",
    },
    Definition {
        metric: "Suppliers, top-10 share, HHI",
        definition: "Distinct suppliers paid influenceable spend (a supplier paid by several \
                     anchors is one supplier); the share taken by the ten largest; the \
                     Herfindahl–Hirschman index (sum of squared percentage shares, 0–10,000).",
        coverage: "Not a share of a test: every influenceable payment counts.",
        page: "docs/methodology/concentration.md",
    },
    Definition {
        metric: "Leakage",
        definition: "Influenceable spend with suppliers located outside the local place, by \
                     category, beside the local suppliers already paid in that category.",
        coverage: "Spend with unlocated suppliers is shown on its own, not counted as leaked.",
        page: "docs/methodology/leakage.md",
    },
    Definition {
        metric: "Year-on-year change",
        definition: "Change in influenceable spend and in the local, wider and deprived shares \
                     (of all influenceable spend, in percentage points) between consecutive \
                     financial years; flagged when the anchors covered differ.",
        coverage: "As the shares compared.",
        page: "docs/methodology/year-on-year.md",
    },
];
