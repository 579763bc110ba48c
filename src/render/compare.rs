//! Contexts of the comparison pages (one comparison, a region, the list of all) and of the parts
//! other pages show of comparisons: a plan's comparisons, a district's timeline, indicator charts.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use super::{Link, Renderer, TaskItem, district_url, indicator_url, unit_url};
use crate::chart::{self, Point, Series};
use crate::compare::{Comparison, TargetChange, TaskChange, diff, target_number};
use crate::model::Plan;

#[derive(Serialize)]
struct MetaPair<'a> {
    label: &'static str,
    from: Option<&'a str>,
    to: Option<&'a str>,
    same: bool,
}

#[derive(Serialize)]
struct MatchView<'a> {
    from: TaskItem<'a>,
    to: TaskItem<'a>,
    /// How alike the two texts are, as a percentage.
    similarity: u32,
    diff: Vec<diff::Edit>,
    lead_changed: bool,
    support_changed: bool,
}

#[derive(Serialize)]
struct Chart {
    id: String,
    title: String,
    svg: String,
    legend: Vec<Value>,
    /// Series left out of the drawing (the table has them all).
    more: usize,
}

impl<'a> Renderer<'a> {
    /// A plan named by district, period and kind: 示例区2023年工作意见.
    fn plan_label(&self, p: usize) -> String {
        let plan = &self.site.plans[p];
        format!(
            "{}{}年{}",
            self.c().districts[plan.district_idx].name,
            plan.period(),
            plan.meta.kind.as_deref().unwrap_or("文件")
        )
    }

    /// What lists and links show of a comparison: its plans, title and counts.
    pub(super) fn comparison_summary(&self, i: usize) -> Value {
        let x = &self.ix.comparisons.list[i];
        let changed_indicators = x
            .indicators
            .iter()
            .filter(|c| c.change != TargetChange::Same)
            .count();
        json!({
            "url": x.url,
            "title": self.comparison_title(x),
            "scope": x.scope.label(),
            "from": self.card(x.from),
            "to": self.card(x.to),
            "from_label": self.plan_label(x.from),
            "to_label": self.plan_label(x.to),
            "continued": x.count(TaskChange::Continued),
            "changed": x.count(TaskChange::Changed),
            "new": x.new_tasks.len(),
            "dropped": x.dropped_tasks.len(),
            "indicators_changed": changed_indicators,
        })
    }

    fn comparison_title(&self, x: &Comparison) -> String {
        x.title.clone().unwrap_or_else(|| {
            format!("{}与{}对比", self.plan_label(x.from), self.plan_label(x.to))
        })
    }

    /// The comparisons a plan is part of, each with the other plan, and its region page.
    pub(super) fn plan_comparisons(&self, p: usize, ctx: &mut Context) {
        let cmp = &self.ix.comparisons;
        let list: Vec<Value> = cmp.by_plan[p]
            .iter()
            .map(|&i| {
                let x = &cmp.list[i];
                let mut v = self.comparison_summary(i);
                let (other, role) = if x.from == p {
                    (x.to, "与后一文件对比")
                } else {
                    (x.from, "与前一文件对比")
                };
                v["other_label"] = self.plan_label(other).into();
                v["role"] = role.into();
                v
            })
            .collect();
        ctx.insert("comparisons", &list);
        let district = self.site.plans[p].district_idx;
        ctx.insert("region", &self.region_link(district));
    }

    fn district_links(&self, districts: &[usize]) -> Vec<Link> {
        let c = self.c();
        districts
            .iter()
            .map(|&d| Link {
                name: c.districts[d].name.clone(),
                url: district_url(c, d),
            })
            .collect()
    }

    fn region_link(&self, district: usize) -> Option<Link> {
        let cmp = &self.ix.comparisons;
        cmp.region_of_district[district].map(|r| Link {
            name: cmp.regions[r].name.clone(),
            url: cmp.regions[r].url(),
        })
    }

    /// A district's comparisons in time order, its charts and its region page.
    pub(super) fn district_comparisons(&self, d: usize, ctx: &mut Context) {
        let timeline: Vec<Value> = self.ix.comparisons.by_district[d]
            .iter()
            .map(|&i| self.comparison_summary(i))
            .collect();
        ctx.insert("timeline", &timeline);
        ctx.insert("region", &self.region_link(d));
        let c = self.c();
        let plans = &self.ix.by_district[d];
        let mut defs: Vec<usize> = plans
            .iter()
            .flat_map(|&p| self.site.plans[p].indicators.iter().map(|i| i.def))
            .collect();
        defs.sort_unstable();
        defs.dedup();
        let charts: Vec<Chart> = defs
            .into_iter()
            .filter_map(|def| {
                let series = self.series(plans, def, |_, label| label.to_string());
                let name = &c.indicators.items[def].name;
                self.chart(
                    format!("chart-{}", c.indicators.items[def].slug),
                    format!("{}{}历年目标", c.districts[d].name, name),
                    series,
                )
            })
            .collect();
        ctx.insert("charts", &charts);
    }

    /// The chart of an indicator on its page: a line per district (and measure).
    pub(super) fn indicator_chart(&self, def: usize) -> Option<Value> {
        let c = self.c();
        let mut plans: Vec<usize> = self.ix.by_indicator[def].iter().map(|r| r.0).collect();
        plans.sort_unstable();
        plans.dedup();
        let mut series = self.series(&plans, def, |plan, label| {
            let district = &c.districts[plan.district_idx].name;
            if label.is_empty() {
                district.clone()
            } else {
                format!("{district}（{label}）")
            }
        });
        // The districts with the most values first; ties in config order.
        series.sort_by_key(|s| std::cmp::Reverse(s.points.len()));
        let chart = self.chart(
            format!("chart-{}", c.indicators.items[def].slug),
            format!("{}目标的变化", c.indicators.items[def].name),
            series,
        )?;
        serde_json::to_value(chart).ok()
    }

    /// Numeric targets of one indicator in the given plans, a series per key. A target is drawn
    /// at the last year it is for; a five-year plan's targets form their own series, as they
    /// measure over five years.
    fn series(
        &self,
        plans: &[usize],
        def: usize,
        name: impl Fn(&Plan, &str) -> String,
    ) -> Vec<Series> {
        let mut by_key: BTreeMap<(usize, String), Series> = BTreeMap::new();
        for &p in plans {
            let plan = &self.site.plans[p];
            for ind in plan.indicators.iter().filter(|i| i.def == def) {
                let Some(value) = target_number(&ind.target) else {
                    continue;
                };
                let period = ind.period.unwrap_or(plan.period());
                let mut label = ind.measure.clone().unwrap_or_default();
                if period.start != period.end {
                    label = if label.is_empty() {
                        "五年规划".into()
                    } else {
                        format!("{label}，五年规划")
                    };
                }
                by_key
                    .entry((plan.district_idx, label.clone()))
                    .or_insert_with(|| Series {
                        label: name(plan, &label),
                        points: Vec::new(),
                    })
                    .points
                    .push(Point {
                        year: period.end,
                        value,
                        text: ind.target.clone(),
                    });
            }
        }
        by_key.into_values().collect()
    }

    fn chart(&self, id: String, title: String, mut series: Vec<Series>) -> Option<Chart> {
        // A district page's single series is named by the chart title.
        if series.len() == 1 && series[0].label.is_empty() {
            series[0].label = "目标".into();
        }
        let svg = chart::line_chart(&id, &title, &series)?;
        let shown = series.len().min(chart::MAX_SERIES);
        Some(Chart {
            id,
            title,
            svg,
            legend: series
                .iter()
                .take(shown)
                .enumerate()
                .map(|(k, s)| json!({"label": s.label, "swatch": chart::swatch(k)}))
                .collect(),
            more: series.len() - shown,
        })
    }

    pub(super) fn comparisons_context(&self, ctx: &mut Context) {
        let c = self.c();
        let cmp = &self.ix.comparisons;
        let districts: Vec<Value> = cmp
            .by_district
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_empty())
            .map(|(d, v)| {
                json!({
                    "name": c.districts[d].name,
                    "url": district_url(c, d),
                    "comparisons": v.iter().map(|&i| self.comparison_summary(i)).collect::<Vec<_>>(),
                })
            })
            .collect();
        ctx.insert("districts", &districts);
        let regions: Vec<Value> = cmp
            .regions
            .iter()
            .map(|r| json!({"name": r.name, "url": r.url(), "plans": r.plans.len()}))
            .collect();
        ctx.insert("regions", &regions);
        let configured: Vec<Value> = cmp
            .list
            .iter()
            .enumerate()
            .filter(|(_, x)| x.scope == crate::compare::Scope::Configured)
            .map(|(i, _)| self.comparison_summary(i))
            .collect();
        ctx.insert("configured", &configured);
    }

    pub(super) fn comparison_context(&self, i: usize, ctx: &mut Context) {
        let c = self.c();
        let site = self.site;
        let x = &self.ix.comparisons.list[i];
        let (a, b) = (&site.plans[x.from], &site.plans[x.to]);
        ctx.insert("cmp", &self.comparison_summary(i));

        let (ma, mb) = (&a.meta, &b.meta);
        let (ta, tb) = (
            a.body.tasks.len().to_string(),
            b.body.tasks.len().to_string(),
        );
        let (ia, ib) = (
            a.indicators.len().to_string(),
            b.indicators.len().to_string(),
        );
        let (pa, pb) = (a.period().to_string(), b.period().to_string());
        let (da, db) = (
            &c.districts[a.district_idx].name,
            &c.districts[b.district_idx].name,
        );
        let meta: Vec<MetaPair> = [
            ("标题", Some(a.title()), Some(b.title())),
            ("地区", Some(da.as_str()), Some(db.as_str())),
            ("年度", Some(pa.as_str()), Some(pb.as_str())),
            ("文件类别", ma.kind.as_deref(), mb.kind.as_deref()),
            ("发文机关", ma.issuer.as_deref(), mb.issuer.as_deref()),
            (
                "发文字号",
                ma.doc_number.as_deref(),
                mb.doc_number.as_deref(),
            ),
            ("成文日期", ma.written.as_deref(), mb.written.as_deref()),
            ("发布日期", ma.published.as_deref(), mb.published.as_deref()),
            ("文件状态", ma.status.as_deref(), mb.status.as_deref()),
            ("有效性", ma.validity.as_deref(), mb.validity.as_deref()),
            ("任务数", Some(ta.as_str()), Some(tb.as_str())),
            ("指标数", Some(ia.as_str()), Some(ib.as_str())),
        ]
        .into_iter()
        .filter(|(_, f, t)| f.is_some() || t.is_some())
        .map(|(label, from, to)| MetaPair {
            label,
            from,
            to,
            same: from == to,
        })
        .collect();
        ctx.insert("meta", &meta);

        let target = |p: &Plan, k: Option<usize>| {
            k.map(|k| {
                let ind = &p.indicators[k];
                match &ind.measure {
                    Some(m) => format!("{}（{m}）", ind.target),
                    None => ind.target.clone(),
                }
            })
        };
        let indicators: Vec<Value> = x
            .indicators
            .iter()
            .map(|ic| {
                json!({
                    "name": c.indicators.items[ic.def].name,
                    "url": indicator_url(c, ic.def),
                    "from": target(a, ic.from),
                    "to": target(b, ic.to),
                    "change": ic.change.label(),
                    "kind": ic.change,
                })
            })
            .collect();
        ctx.insert("indicators", &indicators);

        let view = |m: &crate::compare::TaskMatch| MatchView {
            from: self.task_item(x.from, m.from, None),
            to: self.task_item(x.to, m.to, None),
            similarity: (m.similarity * 100.0).round() as u32,
            diff: if m.change == TaskChange::Changed {
                diff::inline(
                    a.body.tasks[m.from].statement(),
                    b.body.tasks[m.to].statement(),
                )
            } else {
                Vec::new()
            },
            lead_changed: m.lead_changed,
            support_changed: m.support_changed,
        };
        let of = |change: TaskChange| -> Vec<MatchView> {
            x.matches
                .iter()
                .filter(|m| m.change == change)
                .map(view)
                .collect()
        };
        ctx.insert("changed", &of(TaskChange::Changed));
        ctx.insert("continued", &of(TaskChange::Continued));
        let moved: Vec<MatchView> = x
            .matches
            .iter()
            .filter(|m| m.lead_changed || m.support_changed)
            .map(view)
            .collect();
        ctx.insert("moved", &moved);
        let items = |p: usize, ts: &[usize]| -> Vec<TaskItem> {
            ts.iter().map(|&t| self.task_item(p, t, None)).collect()
        };
        ctx.insert("new_tasks", &items(x.to, &x.new_tasks));
        ctx.insert("dropped_tasks", &items(x.from, &x.dropped_tasks));

        let task_link = |p: &Plan, t: usize| {
            let task = &p.body.tasks[t];
            json!({"number": task.key, "title": task.title, "url": format!("{}#{}", p.url(), task.anchor)})
        };
        let units: Vec<Value> = x
            .units
            .iter()
            .map(|u| {
                json!({
                    "name": c.units.items[u.unit].name,
                    "url": unit_url(c, u.unit),
                    "before_lead": u.before.0, "before_support": u.before.1,
                    "after_lead": u.after.0, "after_support": u.after.1,
                    "gained": u.gained.iter().map(|&t| task_link(b, t)).collect::<Vec<_>>(),
                    "lost": u.lost.iter().map(|&t| task_link(a, t)).collect::<Vec<_>>(),
                })
            })
            .collect();
        ctx.insert("units", &units);

        let sections = |p: &Plan, v: &[usize]| -> Vec<Value> {
            v.iter()
                .map(|&s| {
                    let s = &p.body.sections[s];
                    json!({"title": format!("{}{}", s.label, s.title), "url": format!("{}#{}", p.url(), s.anchor)})
                })
                .collect()
        };
        ctx.insert("sections_only_from", &sections(a, &x.sections_only_from));
        ctx.insert("sections_only_to", &sections(b, &x.sections_only_to));
        let mut districts = vec![a.district_idx];
        if b.district_idx != a.district_idx {
            districts.push(b.district_idx);
        }
        ctx.insert("districts", &self.district_links(&districts));
        ctx.insert("region", &self.region_link(a.district_idx));
    }

    pub(super) fn region_context(&self, r: usize, ctx: &mut Context) {
        let site = self.site;
        let region = &self.ix.comparisons.regions[r];
        ctx.insert("region", &json!({"name": region.name, "url": region.url()}));
        // Years down, districts across: which district has a plan in which year.
        let districts: Vec<usize> = region
            .districts
            .iter()
            .copied()
            .filter(|&d| !self.ix.by_district[d].is_empty())
            .collect();
        ctx.insert("districts", &self.district_links(&districts));
        let years = crate::compare::region_years(site, region);
        let grid: Vec<Value> = years
            .iter()
            .map(|(year, plans)| {
                let cells: Vec<Vec<super::PlanCard>> = districts
                    .iter()
                    .map(|&d| {
                        plans
                            .iter()
                            .filter(|&&p| site.plans[p].district_idx == d)
                            .map(|&p| self.card(p))
                            .collect()
                    })
                    .collect();
                json!({"year": year, "cells": cells})
            })
            .collect();
        ctx.insert("grid", &grid);
        ctx.insert(
            "indicators",
            &self.indicator_rows(region.plans.iter().copied()),
        );
        let steps: Vec<Value> = region
            .comparisons
            .iter()
            .map(|&i| self.comparison_summary(i))
            .collect();
        ctx.insert("steps", &steps);
    }
}
