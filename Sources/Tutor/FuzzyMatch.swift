/// How alike two spellings are, for words a recognizer got slightly wrong (`magnate` for `magnet`).
///
/// The similarity is the larger of two measures, each in [0, 1]:
/// - spelling: 1 - edit distance / length of the longer word (`fiction`, `friction`: 0.875);
/// - sound: both words reduced to a consonant skeleton (vowels after the first letter and `h`, `w`, `y` removed,
///   doubled letters merged: `magnate`, `magnet` -> `mgnt`; `gravytea`, `gravity` -> `grvt`). Equal skeletons of 3 or
///   more letters score 0.85; skeletons of 5 or more letters one edit apart with the same first letter score 0.75
///   (`denscity` for `density`).
public enum FuzzyMatch {
    /// The similarity of two normalized words, in [0, 1]; 1 for equal words.
    public static func similarity(_ a: String, _ b: String) -> Double {
        if a == b { return 1 }
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        let longer = max(x.count, y.count)
        guard longer > 0 else { return 0 }
        var best = 1 - Double(editDistance(x, y)) / Double(longer)
        let sx = skeleton(x)
        let sy = skeleton(y)
        if sx == sy, sx.count >= 3 {
            best = max(best, 0.85)
        } else if sx.count >= 5, sy.count >= 5, sx.first == sy.first, abs(sx.count - sy.count) <= 1,
            editDistance(sx, sy) <= 1
        {
            best = max(best, 0.75)
        }
        return best
    }

    /// The consonant skeleton of a word: the first letter, then consonants other than `h`, `w`, `y`, undoubled.
    static func skeleton(_ word: [UInt8]) -> [UInt8] {
        guard let first = word.first else { return [] }
        let dropped = Set("aeiouhwy".utf8)
        var result: [UInt8] = [first]
        for letter in word.dropFirst() where !dropped.contains(letter) {
            // `c` and `k` sound alike, and so do `ph` and `f` (after `h` is dropped, `p` stays: close enough).
            let sound = letter == UInt8(ascii: "k") || letter == UInt8(ascii: "q") ? UInt8(ascii: "c") : letter
            if result.last != sound { result.append(sound) }
        }
        return result
    }

    /// The Levenshtein distance (insertions, deletions and substitutions each cost 1).
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
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
}
