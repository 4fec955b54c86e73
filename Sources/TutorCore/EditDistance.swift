/// The Levenshtein distance between two sequences: insertions, deletions and substitutions each cost 1.
///
/// Used for fuzzy word matching (bytes), pronunciation agreement (phonemes) and the like. Two rows of the table,
/// so memory grows with the shorter side's length only when it is passed second.
@inlinable
public func editDistance<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
