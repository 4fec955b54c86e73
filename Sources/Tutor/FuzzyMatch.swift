import TutorCore

/// How alike two spellings are, for words a recognizer got slightly wrong (`magnate` for `magnet`).
///
/// The similarity is the larger of two measures, each in [0, 1]:
/// - spelling: 1 - edit distance / length of the longer word (`fiction`, `friction`: 0.875);
/// - sound: both words reduced to a consonant skeleton (vowels after the first letter and `h`, `w`, `y` removed,
///   doubled letters merged: `magnate`, `magnet` -> `mgnt`; `gravytea`, `gravity` -> `grvt`). Equal skeletons of 4 or
///   more letters score 0.85 (3-letter skeletons match too many words); skeletons of 5 or more letters one edit
///   apart with the same first letter score 0.75 (`denscity` for `density`).
public enum FuzzyMatch {
    /// The similarity of two normalized words, in [0, 1]; 1 for equal words.
    public static func similarity(_ a: String, _ b: String) -> Double {
        if a == b { return 1 }
        return similarity(Word(a), Word(b), minimum: 0)
    }

    /// A word prepared for repeated comparisons: its UTF-8 bytes and consonant skeleton.
    struct Word: Sendable {
        let text: String
        let bytes: [UInt8]
        let skeleton: [UInt8]

        init(_ text: String) {
            self.text = text
            self.bytes = Array(text.utf8)
            self.skeleton = FuzzyMatch.skeleton(bytes)
        }
    }

    /// The similarity of two prepared words, or 0 when it is certainly below `minimum` (which skips the slow part).
    static func similarity(_ a: Word, _ b: Word, minimum: Double) -> Double {
        if a.bytes == b.bytes { return 1 }
        var best = 0.0
        if a.skeleton == b.skeleton, a.skeleton.count >= 4 {
            best = 0.85
        } else if a.skeleton.count >= 5, b.skeleton.count >= 5, a.skeleton.first == b.skeleton.first,
            abs(a.skeleton.count - b.skeleton.count) <= 1, editDistance(a.skeleton, b.skeleton) <= 1
        {
            best = 0.75
        }
        let longer = max(a.bytes.count, b.bytes.count)
        guard longer > 0 else { return best }
        // Spelling similarity is at most 1 - (length difference / longer): skip the edit distance when that is too low.
        let bound = 1 - Double(abs(a.bytes.count - b.bytes.count)) / Double(longer)
        if bound > best, bound >= minimum {
            best = max(best, 1 - Double(editDistance(a.bytes, b.bytes)) / Double(longer))
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
}
