//! `/suppliers` and `/suppliers/{supplier}`: supplier entities, the evidence for each one's
//! location and classification, and its payments (only the anchors' the viewer may see).
//!
//! A figure about one supplier is made from one supplier, below any threshold of
//! [`crate::privacy`]: so its payments and spend are counted only over the anchors whose
//! rows the viewer may see (a member's own anchor; every anchor for an admin; none for a
//! viewer). What another anchor paid a supplier — how much, how often, under which name —
//! is never shown, nor used to order the list.

use anchornet_report::tables::Cell;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::Response;
use maud::html;
use serde_json::json;

use super::anchors::payments_table;
use super::Filter;
use crate::auth::{Signed, Viewer};
use crate::error::{AppError, AppResult};
use crate::page::{strip_ext, table, table_html, txt, Fmt, Page};
use crate::privacy::{Audience, SUPPRESSED};
use crate::snapshot::Snapshot;
use crate::state::AppState;

/// Whether the viewer may see this supplier's identity: anyone for an organisation; for an
/// individual, admins and members of an anchor that paid them.
pub fn may_see(v: &Viewer, snap: &Snapshot, s: u32) -> bool {
    let info = &snap.prepared.dataset.suppliers[s as usize];
    if !info.individual {
        return true;
    }
    v.is_admin()
        || v.member_anchor().is_some_and(|a| {
            snap.anchor_index(a)
                .is_some_and(|i| snap.suppliers[s as usize].anchors.contains(&i))
        })
}

/// `/suppliers`.
pub async fn list(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let snap = st.snap();
    let ds = &snap.prepared.dataset;
    let who = Audience::of(&v, &snap);
    // Payments and influenceable spend per supplier, over the anchors the viewer sees.
    let seen: Option<Vec<(u64, i64)>> = match who {
        Audience::Full => None,
        _ => {
            let mut per = vec![(0u64, 0i64); ds.suppliers.len()];
            for t in ds.txns.iter().filter(|t| who.sees_anchor(t.anchor)) {
                per[t.supplier as usize].0 += 1;
                if t.excluded_by.is_none() {
                    per[t.supplier as usize].1 += t.pence;
                }
            }
            Some(per)
        }
    };
    let figures = |s: u32| match &seen {
        None => (
            snap.suppliers[s as usize].payments,
            snap.suppliers[s as usize].influenceable,
        ),
        Some(per) => per[s as usize],
    };
    let q = f.q.clone().unwrap_or_default().to_lowercase();
    let mut order: Vec<u32> = (0..ds.suppliers.len() as u32)
        .filter(|&s| snap.suppliers[s as usize].payments > 0)
        .filter(|&s| {
            q.is_empty()
                || (may_see(&v, &snap, s)
                    && ds.suppliers[s as usize].name.to_lowercase().contains(&q))
        })
        .collect();
    order.sort_by(|a, b| {
        figures(*b).1.cmp(&figures(*a).1).then(
            snap.suppliers[*a as usize]
                .key
                .cmp(&snap.suppliers[*b as usize].key),
        )
    });
    let fmt = Fmt::of_path(uri.path());
    let page = f.page.unwrap_or(1).max(1);
    let shown: Vec<u32> = if fmt == Fmt::Html {
        order
            .iter()
            .skip((page - 1) * 100)
            .take(100)
            .copied()
            .collect()
    } else {
        order.clone()
    };
    let mut t = table(
        "suppliers",
        "Suppliers",
        "supplier entity",
        &[
            (
                "supplier",
                "Supplier (individuals redacted unless the viewer's anchor paid them).",
            ),
            ("id", "Stable supplier id."),
            ("kind", "Kind."),
            ("district", "District it is located in."),
            ("local", "Located in the local place."),
            ("location_source", "Where the location comes from."),
            ("anchors", "Anchors that paid it."),
            (
                "payments",
                "Payments (by the anchors whose payments you may see).",
            ),
            (
                "influenceable_gbp",
                "Influenceable spend, all years (by the anchors whose payments you may see).",
            ),
        ],
    );
    for &s in &shown {
        let info = &ds.suppliers[s as usize];
        let st_ = &snap.suppliers[s as usize];
        let see = may_see(&v, &snap, s);
        let l = info.location.as_ref();
        t.rows.push(vec![
            txt(crate::privacy::shown_name(ds, s, see)),
            txt(if see { st_.key.clone() } else { String::new() }),
            txt(info.kind.label()),
            txt(l.map(|l| l.lad_name.clone()).unwrap_or_default()),
            txt(l.map_or("unknown", |l| if l.local { "yes" } else { "no" })),
            txt(l.map(|l| l.source.describe()).unwrap_or_default()),
            Cell::Int(st_.anchors.len() as i64),
            match (who, figures(s)) {
                (Audience::Public, _) => txt(SUPPRESSED),
                (_, (n, _)) => Cell::Int(n as i64),
            },
            match (who, figures(s)) {
                (Audience::Public, _) => txt(SUPPRESSED),
                (_, (_, p)) => Cell::Money(p),
            },
        ]);
    }
    let pages = order.len().div_ceil(100).max(1);
    let body = html! {
        form.filters method="get" action="/suppliers" { label { "Search " input type="search" name="q" value=(f.q.clone().unwrap_or_default()); } button { "Search" } }
        p { (order.len()) " suppliers. Page " (page) " of " (pages) "." }
        (table_html(&t, Some("/suppliers"), &|i| {
            let s = shown[i];
            may_see(&v, &snap, s).then(|| format!("/suppliers/{}", snap.suppliers[s as usize].key))
        }))
        p { @if page > 1 { a href=(format!("?page={}&q={}", page - 1, crate::page::urlencode(&q))) { "← previous" } " " }
            @if page < pages { a href=(format!("?page={}&q={}", page + 1, crate::page::urlencode(&q))) { "next →" } } }
    };
    Ok(Page {
        title: "Suppliers".into(),
        body,
        tables: vec![t],
        meta: json!({"suppliers": order.len()}),
    }
    .respond(fmt, &v, f.table.as_deref()))
}

/// `/suppliers/{supplier}`.
pub async fn show(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let snap = st.snap();
    let ds = &snap.prepared.dataset;
    let key = strip_ext(&raw);
    let s = *snap
        .by_key
        .get(key)
        .ok_or_else(|| AppError::not_found(format!("supplier `{key}`")))?;
    if !may_see(&v, &snap, s) {
        return Err(AppError::not_found(format!("supplier `{key}`")));
    }
    let info = &ds.suppliers[s as usize];
    let stats = &snap.suppliers[s as usize];
    let who = Audience::of(&v, &snap);
    let mut ev = table(
        "evidence",
        "Evidence",
        "line of evidence",
        &[(
            "evidence",
            "Why the supplier is classified and located as it is.",
        )],
    );
    for e in &info.evidence {
        ev.rows.push(vec![txt(e.clone())]);
    }
    let mut names = table(
        "names",
        "Names",
        "name the supplier was paid under",
        &[
            ("name", "Name as written in payment files."),
            ("gbp", "Paid under this name."),
        ],
    );
    // The names it was paid under, and how much under each, from the payments the viewer
    // may see (another anchor's way of writing the name, with its amount, is its payment).
    if who == Audience::Full {
        for (n, p) in &stats.names {
            names.rows.push(vec![txt(n.clone()), Cell::Money(*p)]);
        }
    } else {
        let mut per: std::collections::BTreeMap<&str, i64> = Default::default();
        for &k in &snap.txns_of[s as usize] {
            let (t, p) = (&ds.txns[k as usize], &snap.prepared.payments[k as usize]);
            if who.sees_anchor(t.anchor) && !p.redacted {
                *per.entry(p.supplier_name.trim()).or_default() += t.pence;
            }
        }
        let mut list: Vec<(&str, i64)> = per.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        for (n, p) in list {
            names.rows.push(vec![txt(n), Cell::Money(p)]);
        }
    }
    let mut by_anchor = table(
        "by_anchor",
        "By anchor",
        "anchor",
        &[
            ("anchor", "Paying anchor."),
            ("payments", "Payments."),
            ("gbp", "Spend."),
        ],
    );
    let mut per: Vec<(u64, i64)> = vec![(0, 0); ds.anchors.len()];
    for &k in &snap.txns_of[s as usize] {
        let t = &ds.txns[k as usize];
        per[t.anchor as usize].0 += 1;
        per[t.anchor as usize].1 += t.pence;
    }
    for (i, (n, p)) in per.iter().enumerate() {
        if *n > 0 && !who.sees_anchor(i as u16) {
            by_anchor.rows.push(vec![
                txt(ds.anchors[i].name.clone()),
                txt(SUPPRESSED),
                txt(SUPPRESSED),
            ]);
        } else if *n > 0 {
            by_anchor.rows.push(vec![
                txt(ds.anchors[i].name.clone()),
                Cell::Int(*n as i64),
                Cell::Money(*p),
            ]);
        }
    }
    let visible: Vec<u32> = snap.txns_of[s as usize]
        .iter()
        .copied()
        .filter(|&k| v.sees_rows_of(snap.anchors[ds.txns[k as usize].anchor as usize].id))
        .collect();
    let pays = payments_table(&snap, &visible);
    let l = info.location.as_ref();
    let body = html! {
        dl.facts {
            dt { "Kind" } dd { (info.kind) }
            dt { "Located" } dd { @match l { Some(l) => { (l.postcode) ", " (l.lad_name) " — " (if l.local { "local" } else if l.wider { "wider place" } else { "outside the wider place" })
                @if let Some(d) = l.decile { " · deprivation decile " (d) } " · from " (l.source) @if l.head_office { " (registered office: may not be where the work is done)" } }
                None => { "not located" } } }
            dt { "SME" } dd { (match info.sme { Some(true) => "yes", Some(false) => "no", None => "unknown" }) }
            dt { "VCSE" } dd { (match info.vcse { Some(true) => "yes", Some(false) => "no", None => "unknown" }) }
        }
        h2 { "Evidence" } (table_html(&ev, None, &|_| None))
        h2 { "Names it was paid under" } (table_html(&names, None, &|_| None))
        h2 { "Spend by anchor" } (table_html(&by_anchor, None, &|_| None))
        h2 { "Payments" }
        @if v.sees_any_rows() {
            p.note { "Payments of the anchors you may see (" (visible.len()) @if who == Audience::Full { " of " (stats.payments) } ")." }
            (table_html(&pays, Some(&format!("/suppliers/{key}")), &|_| None))
        } @else { p.note { "Payment-level data is visible to the paying anchor's members and to network admins." } }
    };
    if Fmt::of_path(uri.path()) != Fmt::Html && !visible.is_empty() {
        st.store
            .audit(
                &v.name(),
                "export",
                &format!("{} payments to supplier {key}", visible.len()),
            )
            .await?;
    }
    Ok(Page {
        title: info.name.clone(),
        body,
        tables: vec![ev, names, by_anchor, pays],
        meta: json!({"id": key, "kind": info.kind, "individual": info.individual, "sme": info.sme, "vcse": info.vcse, "location": l}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}
