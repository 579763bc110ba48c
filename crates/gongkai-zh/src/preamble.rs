//! The preamble parts of a plan (指导思想, 基本原则, 工作目标, 发展基础 …): what a plan says before
//! and around its tasks — the ideas it follows, the principles, the targets as a whole, where
//! things stand. Their numbered paragraphs (`（一）指导思想。以…为指导…`, `1.发展基础。…`) are
//! the plan's own words, not tasks. The list is here, once, for the body parser and the
//! importer alike.

/// Titles of preamble parts, as plans write them. A heading's or a run-in heading's title is one
/// when, without its number and a trailing 。 or ：, it is one of these, or several of them joined
/// by 和, 与, 及 or 、 (指导思想和工作目标, 指导思想与基本原则).
pub const PARTS: &[&str] = &[
    "指导思想",
    "基本原则",
    "工作原则",
    "总体要求",
    "总体思路",
    "工作目标",
    "主要目标",
    "总体目标",
    "发展目标",
    "发展基础",
    "发展现状",
    "现状",
    "面临形势",
    "形势分析",
    "发展环境",
    "编制依据",
    "工作回顾",
    "基本情况",
];

/// Whether a title (without its number) names a preamble part: `指导思想`, `工作目标。`,
/// `指导思想和工作目标`; not `加强指导思想学习` nor `主要任务`.
pub fn is_part(title: &str) -> bool {
    let t = title
        .trim()
        .trim_end_matches(['。', '：', ':', '.', '．'])
        .trim();
    !t.is_empty()
        && t.split(['和', '与', '及', '、'])
            .all(|p| PARTS.contains(&p.trim()))
}

/// Whether a numbered paragraph's text after its number is a run-in preamble heading: its first
/// sentence (up to 。, ：, ； or the end) names a preamble part — `指导思想。以…为指导…`,
/// `发展基础：`.
pub fn is_run_in(text: &str) -> bool {
    let t = text.trim();
    let end = t.find(['。', '：', ':', '；']).unwrap_or(t.len());
    is_part(&t[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_alone_and_combined() {
        for t in [
            "指导思想",
            "工作目标。",
            "指导思想和工作目标",
            "指导思想与基本原则",
            " 发展基础 ",
        ] {
            assert!(is_part(t), "{t}");
        }
        for t in [
            "",
            "主要任务",
            "加强指导思想学习",
            "指导思想和主要任务",
            "和",
        ] {
            assert!(!is_part(t), "{t}");
        }
    }

    #[test]
    fn run_in_headings() {
        assert!(is_run_in(
            "指导思想。以习近平新时代中国特色社会主义思想为指导"
        ));
        assert!(is_run_in("基本原则。坚持人民至上"));
        assert!(is_run_in("发展基础。"));
        assert!(is_run_in("工作目标：到2025年"));
        assert!(!is_run_in("加强隐患排查。指导思想要明确"));
        assert!(!is_run_in("落实安全生产责任制"));
    }
}
