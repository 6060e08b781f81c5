//! Statistical disclosure control: what may leave Haven as a figure.
//!
//! A table is a list of counts and the sums that tie them together (a row,
//! a column, a margin: `total = part + part + …`). Counts from 1 to k−1 are
//! suppressed first (primary suppression). Then, while any sum has exactly
//! one suppressed member, its smallest other member is suppressed too
//! (complementary suppression; a count above zero is preferred, since a
//! zero beside a suppressed cell can leave it pinned). When no sum has a
//! lone suppressed member, each suppressed cell can move by one against
//! another suppressed cell of its row and column without changing anything
//! published. Sums of sums (margins of margins) can still tie a cell
//! down, so the hidden cells are then checked by linear algebra, and a
//! cell found pinned takes its smallest neighbour with it, until none is.
//! For one- and two-way tables with margins the tests check the result
//! exactly, non-negative whole numbers included.

/// The threshold: counts from 1 to `k − 1` are never published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The smallest count that may be published (zero aside).
    pub k: i64,
}

impl Default for Rule {
    fn default() -> Rule {
        Rule { k: 5 }
    }
}

impl Rule {
    /// A rule with threshold `k` (at least 2: with 1 nothing is protected).
    pub fn new(k: i64) -> Option<Rule> {
        (2..=100).contains(&k).then_some(Rule { k })
    }

    /// Whether a count alone is too small to publish.
    pub fn too_small(&self, n: i64) -> bool {
        (1..self.k).contains(&n)
    }
}

/// `values[total] = Σ values[parts]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sum {
    /// The cell holding the total.
    pub total: usize,
    /// The cells that add up to it.
    pub parts: Vec<usize>,
}

/// Counts and the sums that tie them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// Every published count, margins included.
    pub values: Vec<i64>,
    /// The sums among them.
    pub sums: Vec<Sum>,
}

impl Table {
    /// `cells` and, after them, their total.
    pub fn one_way(cells: &[i64]) -> Table {
        let n = cells.len();
        let mut values = cells.to_vec();
        values.push(cells.iter().sum());
        Table {
            values,
            sums: vec![Sum {
                total: n,
                parts: (0..n).collect(),
            }],
        }
    }

    /// `rows × cols` cells (row by row), then each row's total, then each
    /// column's total, then the grand total.
    pub fn two_way(cells: &[Vec<i64>]) -> Table {
        let rows = cells.len();
        let cols = cells.first().map_or(0, Vec::len);
        let at = |r: usize, c: usize| r * cols + c;
        let row_total = |r: usize| rows * cols + r;
        let col_total = |c: usize| rows * cols + rows + c;
        let grand = rows * cols + rows + cols;
        let mut values: Vec<i64> = cells.iter().flat_map(|r| r.iter().copied()).collect();
        values.extend(cells.iter().map(|r| r.iter().sum::<i64>()));
        values.extend((0..cols).map(|c| cells.iter().map(|r| r[c]).sum::<i64>()));
        values.push(cells.iter().flatten().sum());
        let mut sums = Vec::new();
        for r in 0..rows {
            sums.push(Sum {
                total: row_total(r),
                parts: (0..cols).map(|c| at(r, c)).collect(),
            });
        }
        for c in 0..cols {
            sums.push(Sum {
                total: col_total(c),
                parts: (0..rows).map(|r| at(r, c)).collect(),
            });
        }
        sums.push(Sum {
            total: grand,
            parts: (0..rows).map(row_total).collect(),
        });
        sums.push(Sum {
            total: grand,
            parts: (0..cols).map(col_total).collect(),
        });
        Table { values, sums }
    }

    /// Which cells must not be published: primary, then complementary
    /// suppression, as the module explains.
    pub fn suppress(&self, rule: Rule) -> Vec<bool> {
        let mut hidden: Vec<bool> = self.values.iter().map(|&v| rule.too_small(v)).collect();
        loop {
            self.no_lone_hidden_cell(&mut hidden);
            let Some(pinned) = self.determined(&hidden) else {
                return hidden;
            };
            // A pattern the first pass leaves open (sums of sums can tie a
            // cell down): hide the smallest cell beside the pinned one.
            let beside = self
                .sums
                .iter()
                .filter(|s| s.total == pinned || s.parts.contains(&pinned))
                .flat_map(|s| s.parts.iter().copied().chain(std::iter::once(s.total)))
                .filter(|&i| !hidden[i])
                .min_by_key(|&i| (self.values[i] == 0, self.values[i], i))
                .or_else(|| {
                    (0..self.values.len())
                        .filter(|&i| !hidden[i])
                        .min_by_key(|&i| (self.values[i] == 0, self.values[i], i))
                });
            match beside {
                Some(i) => hidden[i] = true,
                None => return hidden,
            }
        }
    }

    /// A hidden cell whose value follows from the published cells and the
    /// sums (over the real numbers): the sums restricted to the hidden
    /// cells are reduced to echelon form, and a cell is pinned when no
    /// solution of the homogeneous system can move it.
    fn determined(&self, hidden: &[bool]) -> Option<usize> {
        let vars: Vec<usize> = (0..self.values.len()).filter(|&i| hidden[i]).collect();
        let col = |i: usize| vars.iter().position(|&v| v == i);
        let n = vars.len();
        let mut m: Vec<Vec<f64>> = self
            .sums
            .iter()
            .map(|s| {
                let mut row = vec![0.0; n];
                for &p in &s.parts {
                    if let Some(c) = col(p) {
                        row[c] += 1.0;
                    }
                }
                if let Some(c) = col(s.total) {
                    row[c] -= 1.0;
                }
                row
            })
            .collect();
        let mut pivots: Vec<(usize, usize)> = Vec::new();
        let mut r = 0;
        for c in 0..n {
            let Some(p) = (r..m.len()).find(|&i| m[i][c].abs() > 1e-9) else {
                continue;
            };
            m.swap(r, p);
            let lead = m[r][c];
            for x in m[r].iter_mut() {
                *x /= lead;
            }
            for i in 0..m.len() {
                if i != r && m[i][c].abs() > 1e-9 {
                    let f = m[i][c];
                    let pivot_row = m[r].clone();
                    for (x, y) in m[i].iter_mut().zip(pivot_row) {
                        *x -= f * y;
                    }
                }
            }
            pivots.push((r, c));
            r += 1;
        }
        let is_pivot = |c: usize| pivots.iter().any(|&(_, pc)| pc == c);
        pivots
            .iter()
            .find(|&&(row, _)| (0..n).all(|c| is_pivot(c) || m[row][c].abs() < 1e-9))
            .map(|&(_, c)| vars[c])
    }

    /// While a sum has exactly one hidden member, hides the smallest other
    /// member too (one above zero if there is one).
    fn no_lone_hidden_cell(&self, hidden: &mut [bool]) {
        loop {
            let mut changed = false;
            for s in &self.sums {
                let members = || s.parts.iter().copied().chain(std::iter::once(s.total));
                if members().filter(|&i| hidden[i]).count() != 1 {
                    continue;
                }
                let pick = members()
                    .filter(|&i| !hidden[i])
                    .min_by_key(|&i| (self.values[i] == 0, self.values[i], i));
                if let Some(i) = pick {
                    hidden[i] = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny generator, so the tests need no crate and repeat exactly.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> i64 {
            (self.next() % n) as i64
        }
        /// Mostly small counts, some zeros, some large.
        fn count(&mut self) -> i64 {
            match self.below(10) {
                0 | 1 => 0,
                2..=5 => 1 + self.below(6),
                _ => 5 + self.below(40),
            }
        }
    }

    /// Whether some other non-negative integer table agrees with every
    /// published cell and every sum but gives cell `x` another value.
    /// Searches moves of −1, 0 or +1 on the suppressed cells: for tables
    /// whose sums form rows and columns (a network), every other solution
    /// is a sum of such moves, so this is exact.
    fn movable(t: &Table, hidden: &[bool], x: usize) -> bool {
        let vars: Vec<usize> = (0..t.values.len()).filter(|&i| hidden[i]).collect();
        let mut d = vec![0i64; t.values.len()];
        fn ok(t: &Table, d: &[i64], assigned: &[bool]) -> bool {
            t.sums.iter().all(|s| {
                let all = s.parts.iter().all(|&i| assigned[i]) && assigned[s.total];
                !all || s.parts.iter().map(|&i| d[i]).sum::<i64>() == d[s.total]
            })
        }
        fn search(
            t: &Table,
            vars: &[usize],
            k: usize,
            d: &mut Vec<i64>,
            assigned: &mut Vec<bool>,
            x: usize,
        ) -> bool {
            if k == vars.len() {
                return d[x] != 0;
            }
            let i = vars[k];
            for step in [1, -1, 0] {
                if i == x && step == 0 {
                    continue;
                }
                if t.values[i] + step < 0 {
                    continue;
                }
                d[i] = step;
                assigned[i] = true;
                if ok(t, d, assigned) && search(t, vars, k + 1, d, assigned, x) {
                    return true;
                }
                assigned[i] = false;
                d[i] = 0;
            }
            false
        }
        // Published cells are fixed: mark them assigned with a move of 0.
        let mut assigned: Vec<bool> = hidden.iter().map(|h| !h).collect();
        search(t, &vars, 0, &mut d, &mut assigned, x)
    }

    fn check(t: &Table, rule: Rule) {
        let hidden = t.suppress(rule);
        for (i, &v) in t.values.iter().enumerate() {
            if rule.too_small(v) {
                assert!(hidden[i], "cell {i} = {v} is below {} yet shown", rule.k);
            }
        }
        for s in &t.sums {
            let n = s
                .parts
                .iter()
                .chain(std::iter::once(&s.total))
                .filter(|&&i| hidden[i])
                .count();
            assert_ne!(n, 1, "a sum with one hidden cell gives it away: {t:?}");
        }
        for i in (0..t.values.len()).filter(|&i| hidden[i]) {
            assert!(
                movable(t, &hidden, i),
                "cell {i} ({}) can be worked out from what is published: {t:?} {hidden:?}",
                t.values[i]
            );
        }
    }

    #[test]
    fn a_lone_small_count_takes_the_smallest_other_with_it() {
        let t = Table::one_way(&[3, 40, 12, 0]);
        let h = t.suppress(Rule::default());
        assert_eq!(h, [true, false, true, false, false]);
        // Nothing small: nothing hidden.
        let t = Table::one_way(&[0, 40, 12]);
        assert!(t.suppress(Rule::default()).iter().all(|h| !h));
        // A small count whose only companion is the total hides the total.
        let t = Table::one_way(&[3, 0, 0]);
        assert_eq!(t.suppress(Rule::default()), [true, false, false, true]);
    }

    #[test]
    fn the_threshold_is_configurable() {
        let t = Table::one_way(&[7, 40, 12]);
        assert!(t.suppress(Rule::default()).iter().all(|h| !h));
        let h = t.suppress(Rule::new(10).unwrap());
        assert_eq!(h, [true, false, true, false]);
        assert_eq!(Rule::new(1), None);
    }

    #[test]
    fn random_one_way_tables_never_give_a_hidden_count_away() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..400 {
            let n = 1 + rng.below(7) as usize;
            let cells: Vec<i64> = (0..n).map(|_| rng.count()).collect();
            check(&Table::one_way(&cells), Rule::default());
        }
    }

    #[test]
    fn random_two_way_tables_with_margins_never_give_a_hidden_count_away() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for (rows, cols) in [(1, 1), (1, 4), (2, 2), (2, 3), (3, 3), (3, 4), (4, 2)] {
            for _ in 0..60 {
                let cells: Vec<Vec<i64>> = (0..rows)
                    .map(|_| (0..cols).map(|_| rng.count()).collect())
                    .collect();
                check(&Table::two_way(&cells), Rule::default());
                check(&Table::two_way(&cells), Rule { k: 10 });
            }
        }
    }

    #[test]
    fn a_cell_tied_down_through_the_margins_of_margins_is_freed() {
        // Found by the random test: with no sum holding a lone hidden cell,
        // the row totals' sum still gave the first cell (5) away.
        let t = Table::two_way(&[vec![5, 3, 0], vec![5, 6, 2], vec![0, 2, 0]]);
        let mut hidden = vec![false; t.values.len()];
        for i in [1, 5, 7, 11, 14] {
            hidden[i] = true;
        }
        t.no_lone_hidden_cell(&mut hidden);
        assert!(
            t.determined(&hidden).is_some(),
            "the first pass alone leaves one pinned"
        );
        check(&t, Rule::default());
    }

    #[test]
    fn the_exact_check_itself_catches_a_pinned_cell() {
        // Row 1 hides 3 and 0 and nothing else in their columns: the column
        // total of the first column gives the 3 away.
        let t = Table::two_way(&[vec![3, 0], vec![20, 30]]);
        let mut hidden = vec![false; t.values.len()];
        hidden[0] = true;
        hidden[1] = true;
        assert!(!movable(&t, &hidden, 0));
        let hidden = t.suppress(Rule::default());
        assert!(movable(&t, &hidden, 0));
    }
}
