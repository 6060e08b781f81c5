//! Horizontal bar charts drawn on the server as SVG, with no script:
//! an indicator's breakdown, the over-representation ratios, the open
//! cases by risk level on the caseworker's dashboard. Each is drawn by
//! `templates/bar_chart.html` and described by a table on the same page
//! (its `table_id`), which is its text alternative. Bars are one colour
//! and carry their figure in words beside them, so nothing rests on colour;
//! a hidden figure is an empty dashed box with the symbol, never a length.

/// One bar.
pub(super) struct Bar {
    pub(super) y: i64,
    pub(super) width: i64,
    pub(super) label: String,
    pub(super) value: String,
    pub(super) suppressed: bool,
}

/// A reference line across the bars (1, where a group's share equals its
/// share of the children registered), with its words.
pub(super) struct Reference {
    pub(super) x: i64,
    pub(super) label: String,
}

/// A bar chart.
pub(super) struct BarChart {
    pub(super) width: i64,
    pub(super) height: i64,
    pub(super) left: i64,
    /// The chart's name for screen readers.
    pub(super) described: String,
    /// The id of the table that is the chart's text alternative.
    pub(super) table_id: String,
    pub(super) bars: Vec<Bar>,
    pub(super) reference: Option<Reference>,
}

/// One bar's input: its label, its value (`None` when hidden or
/// undefined), the value as the page writes it, and whether it is hidden.
pub(super) struct BarInput {
    pub(super) label: String,
    pub(super) value: Option<f64>,
    pub(super) shown: String,
    pub(super) suppressed: bool,
}

const WIDTH: i64 = 340;
const LEFT: i64 = 130;
const ROW: i64 = 28;
/// Room on the right for the figure written beside the longest bar.
const RIGHT: i64 = 60;
/// Room above the bars for the reference line's words.
const TOP_NOTE: i64 = 16;

/// Bars for `rows`, scaled so that `at_least` (or the largest value, when
/// larger) spans the chart; with `reference`, a line at that value.
pub(super) fn bar_chart(
    rows: Vec<BarInput>,
    at_least: f64,
    reference: Option<(f64, String)>,
    described: String,
    table_id: &str,
) -> BarChart {
    let max = rows
        .iter()
        .filter_map(|r| r.value)
        .chain(reference.as_ref().map(|r| r.0))
        .fold(at_least, f64::max);
    let span = (WIDTH - LEFT - RIGHT) as f64;
    let length = |v: f64| {
        if max > 0.0 {
            ((v / max) * span).round() as i64
        } else {
            0
        }
    };
    let top = if reference.is_some() { TOP_NOTE } else { 0 };
    let bars: Vec<Bar> = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| Bar {
            y: top + 4 + ROW * i as i64,
            width: r.value.map_or(0, length),
            label: r.label.chars().take(20).collect(),
            value: r.shown,
            suppressed: r.suppressed,
        })
        .collect();
    BarChart {
        width: WIDTH,
        height: top + 8 + ROW * bars.len() as i64,
        left: LEFT,
        described,
        table_id: table_id.to_string(),
        bars,
        reference: reference.map(|(v, label)| Reference {
            x: LEFT + length(v),
            label,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(label: &str, value: Option<f64>) -> BarInput {
        BarInput {
            label: label.into(),
            value,
            shown: value.map_or("◌".into(), |v| v.to_string()),
            suppressed: value.is_none(),
        }
    }

    #[test]
    fn bars_are_scaled_to_the_largest_value_or_the_reference() {
        let c = bar_chart(
            vec![
                input("a", Some(2.0)),
                input("b", Some(1.0)),
                input("c", None),
            ],
            1.0,
            None,
            "d".into(),
            "t",
        );
        let widths: Vec<i64> = c.bars.iter().map(|b| b.width).collect();
        assert_eq!(widths, vec![150, 75, 0]);
        assert_eq!(c.height, 8 + 3 * ROW);
        // A reference beyond every bar widens the scale to show it.
        let c = bar_chart(
            vec![input("a", Some(0.5))],
            0.0,
            Some((1.0, "equal share".into())),
            "d".into(),
            "t",
        );
        assert_eq!(c.bars[0].width, 75);
        assert_eq!(c.reference.as_ref().map(|r| r.x), Some(LEFT + 150));
        assert_eq!(c.bars[0].y, TOP_NOTE + 4);
        // Nothing to draw is no division by zero.
        let c = bar_chart(vec![input("a", Some(0.0))], 0.0, None, "d".into(), "t");
        assert_eq!(c.bars[0].width, 0);
    }
}
